"""Typed accessors for the extension's declared config options."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

SEARCH_BACKEND = "ckanext.learning.search.backend"
SEARCH_TEXT_CONFIG = "ckanext.learning.search.text_config"


def search_backend() -> str:
    return tk.config[SEARCH_BACKEND]


def search_text_config() -> str:
    return tk.config[SEARCH_TEXT_CONFIG]
