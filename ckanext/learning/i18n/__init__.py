"""The one Khmer catalogue (domain ``ckanext-learning``) of all three plugins.

``learning`` and ``learning_fluent`` both show strings from it; each plugin
would otherwise look for a catalogue of its own beside its ``plugin.py``.
"""
from __future__ import annotations

import os

from ckan.lib.plugins import DefaultTranslation

DOMAIN = "ckanext-learning"


class Translation(DefaultTranslation):
    """ITranslation pointing at this folder's catalogue."""

    def i18n_directory(self) -> str:
        return os.path.dirname(os.path.abspath(__file__))

    def i18n_domain(self) -> str:
        return DOMAIN
