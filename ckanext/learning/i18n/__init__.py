"""The one Khmer catalogue (domain ``ckanext-learning``) of all three plugins.

``learning`` and ``learning_fluent`` both show strings from it; each plugin
would otherwise look for a catalogue of its own beside its ``plugin.py``.
"""
from __future__ import annotations

import fcntl
import os

from ckan.lib.plugins import DefaultTranslation

DOMAIN = "ckanext-learning"


class Translation(DefaultTranslation):
    """ITranslation pointing at this folder's catalogue."""

    def i18n_directory(self) -> str:
        return os.path.dirname(os.path.abspath(__file__))

    def i18n_domain(self) -> str:
        return DOMAIN


def build_js_catalogues() -> None:
    """Build CKAN's JavaScript catalogues (``/api/i18n/<lang>``, ours merged
    in) as ``ckan run`` does at start: a production server (gunicorn, the
    docker image) never calls core's builder, so the scripts' words ("Edit"
    beside the URL, "Upload"/"Link" of a picture) stayed English in the
    Khmer UI.  Core rebuilds only a catalogue older than its ``.po`` files;
    the lock keeps workers that start together from writing one file at
    once."""
    from ckan.lib import i18n as core_i18n

    folder = core_i18n.get_js_translations_dir()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        core_i18n.build_js_translations()
