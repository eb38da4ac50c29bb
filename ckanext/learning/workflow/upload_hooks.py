"""Where the files rule meets CKAN 2.12: upload validation and download headers.

Uploads.  In 2.12 every uploaded resource file is written by
``package_update``: ``resource_create``/``resource_update`` (and so
``resource_patch``, the resource form and the action API) call
``IResourceController.before_resource_create``/``before_resource_update``
with the resource dict still holding the ``upload`` FileStorage, then hand
the resource to ``package_update``, which pops ``upload`` (uploader), validates,
flushes and only then copies the file.  Raising ``ValidationError`` in the
``before_resource_*`` hook therefore stores nothing, neither row nor file.
``package_update``/``package_patch``/``package_revise`` called directly with
a FileStorage inside ``resources`` (only possible from Python: the action
API puts uploaded files at the top level of the data dict) skip those hooks,
hence the check in the chained ``package_update`` (``workflow/guards.py``).
``package_create`` never stores uploads in 2.12 (it has no uploader call).

Stored fields.  A link resource's ``url`` must be an http(s) address and a
``mimetype`` a bare ``type/subtype`` (:func:`check_resource_fields`, on
every write: the hooks above and the chained ``package_create``/
``package_update``): core redirects a download to the link, and sends the
mimetype as the ``Content-Type``, so a ``javascript:`` link or a mimetype
with CRLF made ``/download`` fail with 500.  What was stored before is made
harmless where it is read: :func:`sanitise_shown_resource` (``IResourceController.
before_resource_show``) blanks such links and mimetypes in every shown
resource, and :func:`refuse_broken_download` answers 404 for a link
download that core could not redirect.

Downloads.  Core's ``resource.download`` view (registered per dataset type:
``resource.download``, ``dataset_resource.download``,
``learning-resource_resource.download``) sends uploaded files inline with
``Content-Type`` taken from the resource's ``mimetype`` field or guessed from
the *URL's* file name.  :data:`blueprint` registers an app-wide
``after_request`` that rewrites the headers of those responses only.
"""
from __future__ import annotations

import weakref
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.views import resource as core_resource_views
from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.http import parse_options_header

from ckanext.learning import config
from ckanext.learning.workflow import files

__all__ = [
    "add_download_headers",
    "blueprint",
    "check_resource_fields",
    "is_resource_download",
    "refuse_broken_download",
    "sanitise_shown_resource",
    "validate_dataset_uploads",
    "validate_resource_upload",
]

# uploads already judged in this request (resource_create checks in its hook,
# then package_update sees the same FileStorage again)
_checked: weakref.WeakKeyDictionary[FileStorage, files.FileType] = (
    weakref.WeakKeyDictionary())


def validate_resource_upload(resource: dict[str, Any]) -> None:
    """Refuse the resource's uploaded file unless it is allowed.

    Call from ``IResourceController.before_resource_create`` and
    ``before_resource_update``.  A resource without a new upload (a link, or
    an edit that keeps the file) passes once its link and mimetype are
    valid (:func:`check_resource_fields`).  An accepted upload gets
    ``resource["mimetype"]`` from its content (what downloads are then
    served as) and a file name whose extension matches it.

    :raises ckan.plugins.toolkit.ValidationError: ``{"upload": [message]}``
    """
    check_resource_fields(resource)
    upload = resource.get("upload")
    if not _is_new_upload(upload):
        _stored_name_back(resource)
        return
    ftype = _checked.get(upload)
    if ftype is None:
        ftype = files.inspect_upload(upload, config.upload_max_bytes(),
                                     config.upload_allowed_kinds())
        _checked[upload] = ftype
    upload.filename = files.safe_filename(upload.filename, ftype.mime)
    resource["mimetype"] = ftype.mime


def _is_new_upload(upload: Any) -> bool:
    return isinstance(upload, FileStorage) and bool(upload.filename)


def check_resource_fields(resource: dict[str, Any]) -> None:
    """Refuse a link that is not an http(s) address and a mimetype that is
    not a bare ``type/subtype``.  A new upload's mimetype is not checked:
    it is replaced by the one its content gives.

    :raises ckan.plugins.toolkit.ValidationError: ``{"url": [message]}``
        or ``{"mimetype": [message]}``
    """
    errors: dict[str, list[str]] = {}
    new_upload = _is_new_upload(resource.get("upload"))
    url = resource.get("url")
    if not new_upload and resource.get("url_type") != "upload" and url \
            and not files.is_web_link(url):
        errors["url"] = [tk._(
            "A link must be a web address starting with http:// or https://.")]
    mimetype = resource.get("mimetype")
    if not new_upload and mimetype and not files.valid_mimetype(mimetype):
        errors["mimetype"] = [tk._(
            "Not a valid media type: write it as type/subtype, for example "
            "application/pdf.")]
    if errors:
        raise tk.ValidationError(errors)


def _unsafe_link(url: Any) -> bool:
    """A stored link no page should offer: one with a scheme other than
    http(s) (``javascript:``, ``data:``...) or a control character.  A link
    without a scheme is left as it is (it reads as a path on this site)."""
    if not isinstance(url, str) or not url.strip() or files.is_web_link(url):
        return False
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return True
    return bool(scheme) or any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in url)


def sanitise_shown_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """``before_resource_show``: blank what was stored before the checks of
    :func:`check_resource_fields` and must not be offered (an unsafe link,
    a mimetype that is not one).  Good values pass untouched."""
    if resource.get("url_type") != "upload" and _unsafe_link(resource.get("url")):
        resource["url"] = ""
    elif resource.get("url_type") == "upload":
        _keep_stored_name(resource)
    mimetype = resource.get("mimetype")
    if mimetype and not files.valid_mimetype(mimetype):
        resource["mimetype"] = None
    return resource


def _keep_stored_name(resource: dict[str, Any]) -> None:
    """Core builds an upload's download link with the file name munged once
    more (``resource_dictize``), which drops every Khmer letter: the link
    ends in the name as stored instead (``security/storage.py`` keeps it)."""
    from ckan.lib.munge import munge_filename

    url = resource.get("url") or ""
    row = model.Resource.get(resource.get("id") or "")
    stored = (row.url or "").rsplit("/", 1)[-1] if row is not None else ""
    if not stored or stored.isascii() or "/download/" not in url:
        return
    munged = quote(munge_filename(stored))
    if url.endswith("/download/" + munged):
        resource["url"] = url[:len(url) - len(munged)] + quote(stored)


def _stored_name_back(resource: dict[str, Any]) -> None:
    """An edit sends back the download link shown (core keeps what follows
    its last ``/``): a Khmer name comes back percent-encoded, and is stored
    as it was, not as ``%E1%9E…`` (a stored name never has a ``%``)."""
    url = resource.get("url")
    if resource.get("url_type") == "upload" and isinstance(url, str) and "%" in url:
        head, _, name = url.rpartition("/")
        resource["url"] = (head + "/" if head else "") + unquote(name)


def validate_dataset_uploads(data_dict: dict[str, Any]) -> None:
    """:func:`validate_resource_upload` for every resource of a dataset dict.

    :raises ckan.plugins.toolkit.ValidationError: ``{"resources": [...]}``,
        one error dict per resource (``{}`` for good ones), the shape
        ``package_update`` uses and ``resource_create``/``resource_update``
        unwrap
    """
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return
    errors: list[dict[str, Any]] = []
    for resource in resources:
        try:
            if isinstance(resource, dict):
                validate_resource_upload(resource)
            errors.append({})
        except tk.ValidationError as err:
            errors.append(err.error_dict)
    if any(errors):
        raise tk.ValidationError({"resources": errors})


# ---------------------------------------------------------------- download

#: Holds no routes: registering it installs :func:`add_download_headers` as
#: an app-wide ``after_request`` (Flask's ``after_app_request``).
blueprint = Blueprint("learning_files", __name__)


def is_resource_download() -> bool:
    """Whether the current request is served by a resource download view."""
    endpoint = request.endpoint or ""
    if current_app.view_functions.get(endpoint) is core_resource_views.download:
        return True
    blueprint_name, _, view = endpoint.rpartition(".")
    return view == "download" and (
        blueprint_name == "resource" or blueprint_name.endswith("_resource"))


@blueprint.before_app_request
def refuse_broken_download() -> None:
    """A link resource whose link core cannot redirect to (empty, not
    http(s)) is "No download is available" (404), not a 500; its page
    still shows."""
    if not is_resource_download():
        return
    resource = model.Resource.get((request.view_args or {}).get("resource_id") or "")
    if resource is None or resource.state != "active" or resource.url_type == "upload":
        return
    if not files.is_web_link(resource.url):
        tk.abort(404, tk._("No download is available"))


@blueprint.after_app_request
def add_download_headers(response: Response) -> Response:
    """Make file downloads safe: ``nosniff`` always, ``attachment`` unless the
    type is one a browser only displays (see :func:`files.download_headers`).

    Redirects (link resources) and errors only get ``nosniff``.  A download
    link followed in the browser's window (``Sec-Fetch-Dest: document``: the
    Download button) saves the file; a PDF opened in the tab instead left the
    visitor in the browser's viewer, without the file.  Previews fetch or
    embed the same URL and still get it ``inline``.
    """
    if not is_resource_download():
        return response
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not 200 <= response.status_code < 300 or response.status_code == 204:
        return response
    filename = (request.view_args or {}).get("filename") or parse_options_header(
        response.headers.get("Content-Disposition", ""))[1].get("filename")
    content_type = response.headers.get("Content-Type")
    response.headers.update(files.download_headers(
        content_type, filename, save=request.headers.get("Sec-Fetch-Dest") == "document"))
    return response
