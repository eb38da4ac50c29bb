"""``/learning/cover/<resource id>.png``: a resource's cover, or its type icon.

Whoever may not see the dataset (``package_show``: an unpublished record is
private) gets 404, as for the dataset itself.
"""
from __future__ import annotations

import os

import ckan.model as model
import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request, send_file

from ckanext.learning.documents import covers, icons
from ckanext.learning.documents.model import for_resource

__all__ = ["blueprint"]

blueprint = Blueprint("learning_documents", __name__)


@blueprint.route("/learning/cover/<resource_id>.png")
def cover(resource_id: str) -> Response:
    resource = model.Session.get(model.Resource, resource_id)
    if resource is None or resource.state != "active":
        return tk.abort(404, tk._("Resource not found"))
    context = {"user": tk.current_user.name if tk.current_user else ""}
    try:
        tk.check_access("package_show", context, {"id": resource.package_id})
    except tk.NotAuthorized:
        return tk.abort(404, tk._("Resource not found"))
    row = for_resource(resource_id)
    path = covers.cover_path(row.cover) if row is not None and row.cover else None
    if path and os.path.exists(path):
        response = send_file(path, mimetype="image/png", conditional=True)
    else:
        response = Response(icons.type_icon(icons.icon_label(resource.format)),
                            mimetype="image/png")
    package = model.Session.get(model.Package, resource.package_id)
    if package is None or package.private:
        # core's after_request then leaves it uncacheable (else: public,
        # for ckan.cache_expires seconds)
        request.environ["__no_cache__"] = True
        response.cache_control.no_store = True
    return response
