"""Typed accessors for the extension's declared config options."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

SEARCH_BACKEND = "ckanext.learning.search.backend"
SEARCH_TEXT_CONFIG = "ckanext.learning.search.text_config"
SEARCH_POSTINGS = "ckanext.learning.search.postings"
UPLOAD_MAX_SIZE_MB = "ckanext.learning.upload.max_size_mb"
UPLOAD_ALLOWED_KINDS = "ckanext.learning.upload.allowed_kinds"
CORE_MAX_RESOURCE_SIZE = "ckan.max_resource_size"

MB = 1 << 20


def search_backend() -> str:
    return tk.config[SEARCH_BACKEND]


def search_text_config() -> str:
    return tk.config[SEARCH_TEXT_CONFIG]


def search_postings() -> bool:
    """Whether everyday searches come from the in-memory postings."""
    return tk.asbool(tk.config[SEARCH_POSTINGS])


def upload_max_bytes() -> int:
    """The largest resource upload accepted, in bytes.

    The smaller of ``ckanext.learning.upload.max_size_mb`` and core's
    ``ckan.max_resource_size``: core's local storage enforces its own limit
    only while copying the file (after validation, with an untranslated
    message), so refusing at the lower of the two up front keeps the
    message ours and the limit it states true.
    """
    return min(tk.config[UPLOAD_MAX_SIZE_MB], tk.config[CORE_MAX_RESOURCE_SIZE]) * MB


def upload_allowed_kinds() -> list[str]:
    """Kinds of file accepted (see ``ckanext.learning.workflow.files.KINDS``)."""
    return tk.config[UPLOAD_ALLOWED_KINDS]
