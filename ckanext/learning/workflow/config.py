"""Typed accessors for the workflow's config options (declared in
``config_declaration_snippet.yaml``, to be merged into the plugin's
``config_declaration.yaml``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

UPLOAD_MAX_SIZE_MB = "ckanext.learning.upload.max_size_mb"
UPLOAD_ALLOWED_KINDS = "ckanext.learning.upload.allowed_kinds"
CORE_MAX_RESOURCE_SIZE = "ckan.max_resource_size"

MB = 1 << 20


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
