"""The background job: read an uploaded document, make its cover, re-index.

:func:`enqueue_for` is called from ``IResourceController.after_resource_create``
/ ``after_resource_update`` and only puts :func:`process_resource` on CKAN's
job queue (``ckan jobs worker`` runs it): nothing is read in the request.
The job is idempotent and skips a file it has already read unchanged.
"""
from __future__ import annotations

import logging
import os
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search, uploader

from ckanext.learning.documents import covers, extract
from ckanext.learning.documents.model import DocumentText, for_resource
from ckanext.learning.jobs import retry
from ckanext.learning.workflow import files

log = logging.getLogger(__name__)

__all__ = ["JOB_TITLE", "enqueue_for", "process_resource"]

JOB_TITLE = "learning: read document {}"


def enqueue_for(resource: dict[str, Any]) -> None:
    """Queue :func:`process_resource` for an uploaded resource (links have no
    file to read)."""
    if resource.get("url_type") != "upload" or not resource.get("id"):
        return
    try:
        tk.enqueue_job(process_resource, [resource["id"]],
                       title=JOB_TITLE.format(resource["id"]), rq_kwargs=retry())
    except Exception as err:  # noqa: BLE001 - redis-py raises several kinds
        # the upload is saved; its text waits for `ckan learning read-documents`
        log.warning("Document %s not queued for reading: %s", resource["id"], err)


def _file_of(resource: model.Resource) -> str | None:
    upload = uploader.get_resource_uploader({"id": resource.id, "url_type": "upload"})
    path = getattr(upload, "get_path", None)
    return path(resource.id) if path else None


def _source(path: str) -> str:
    stat = os.stat(path)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def process_resource(resource_id: str, force: bool = False) -> str | None:
    """Read the resource's file, store its text (and a PDF's cover), and
    re-index its dataset.

    :param resource_id: an uploaded resource
    :param force: read the file again even if it has not changed
    :returns: the status stored (``extract.STATUSES``), or ``None`` when the
        resource has no readable document (gone, a link, another file type)
    """
    resource = model.Session.get(model.Resource, resource_id)
    row = for_resource(resource_id)
    path = _file_of(resource) if resource is not None and resource.url_type == "upload" \
        else None
    if resource is None or resource.state != "active" or not path or \
            not os.path.exists(path):
        return _forget(row, resource)
    with open(path, "rb") as stream:
        mime = files.detect(stream, os.path.basename(resource.url or ""))
    if mime not in extract.EXTRACTABLE:
        return _forget(row, resource)
    source = _source(path)
    if row is not None and row.source == source and not force:
        return row.status
    result = extract.extract(path, mime)
    if row is None:
        row = DocumentText(resource_id=resource_id)
        model.Session.add(row)
    row.status, row.pages, row.page_count = result.status, result.pages, result.page_count
    row.extractor, row.reason, row.source = result.extractor, result.reason, source
    covers.remove_cover(row.cover)
    row.cover = None
    if mime == extract.PDF and result.status != extract.FAILED:
        try:
            row.cover = covers.render_cover(path, resource_id)
        except Exception:  # a page PDFium can read but not draw
            log.exception("No cover for resource %s", resource_id)
    model.Session.commit()
    log.info("Read resource %s: %s, %s pages", resource_id, row.status, row.page_count)
    _reindex(resource.package_id)
    return row.status


def _forget(row: DocumentText | None, resource: model.Resource | None) -> None:
    if row is None:
        return None
    covers.remove_cover(row.cover)
    model.Session.delete(row)
    model.Session.commit()
    if resource is not None:
        _reindex(resource.package_id)
    return None


def _reindex(package_id: str) -> None:
    search.rebuild(package_id)
    model.Session.commit()
