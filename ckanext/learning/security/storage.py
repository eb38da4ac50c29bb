"""Resource files on a disk that can fill up.

Core's local storage writes an upload to ``<path>~`` and renames it; when
the disk fills halfway the ``~`` file stays behind (31 MB measured) and the
request is a 500.  :class:`GuardedResourceUpload` (``IUploader``) refuses a
file that would leave less than ``upload.min_free_mb`` free before writing
anything, removes the partial file on any failure, and turns a full disk
into a validation error that says so (the form keeps what was typed; the
dataset's transaction, in which core stores the file, rolls back).
"""
from __future__ import annotations

import errno
import logging
import os
import shutil
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import files, uploader

from ckanext.learning import config

__all__ = ["GuardedResourceUpload", "resource_uploader"]

log = logging.getLogger(__name__)

#: Errors of a disk (or quota) that is full.
FULL = (errno.ENOSPC, errno.EDQUOT)


def resource_uploader(data_dict: dict[str, Any]) -> GuardedResourceUpload | None:
    """``IUploader.get_resource_uploader``: ours for local storage (core's
    ``ckan.files`` storages are left to core)."""
    try:  # as core decides between its two resource storages
        files.get_storage(tk.config["ckan.files.default_storages.resource"])
    except files.exc.UnknownStorageError:
        return GuardedResourceUpload(data_dict)
    return None


class GuardedResourceUpload(uploader.ResourceUpload):
    """Core's local resource storage, with room checked and no leftovers,
    and a Khmer file name kept (core's munging left ``-.pdf`` of it)."""

    def __init__(self, resource: dict[str, Any]) -> None:
        given = getattr(resource.get("upload"), "filename", None)
        super().__init__(resource)
        if getattr(self, "filename", None) and given:
            from ckanext.learning.workflow.files import stored_filename

            self.filename = stored_filename(given)
            resource["url"] = self.filename

    def upload(self, id: str, max_size: int = 10) -> None:
        if not (self.storage_path and self.filename):
            return super().upload(id, max_size)
        self._check_room()
        partial = self.get_path(id) + "~"
        try:
            return super().upload(id, max_size)
        except BaseException as err:
            _remove(partial)
            if isinstance(err, OSError) and err.errno in FULL:
                log.error("Storage full: the upload for resource %s was not kept", id)
                raise tk.ValidationError({"upload": [_no_room()]}) from None
            raise

    def _check_room(self) -> None:
        assert self.storage_path
        free = shutil.disk_usage(self.storage_path).free
        if free - (getattr(self, "filesize", 0) or 0) < config.upload_min_free_bytes():
            log.warning("Upload refused: %d MB free in %s", free // config.MB,
                        self.storage_path)
            raise tk.ValidationError({"upload": [_no_room()]})


def _no_room() -> str:
    return tk._("The server has no room for this file just now, so it was not "
                "saved. Please try again later.")


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as err:
        log.error("Could not remove the partial upload %s: %s", path, err)
