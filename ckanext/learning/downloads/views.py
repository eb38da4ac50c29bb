"""Counting downloads as they are served (an app-wide ``after_request``)."""
from __future__ import annotations

from flask import Blueprint, Response, request

from ckanext.learning.downloads import counting
from ckanext.learning.workflow.upload_hooks import is_resource_download

__all__ = ["blueprint"]

#: Holds no routes: registering it installs :func:`count` app-wide.
blueprint = Blueprint("learning_downloads", __name__)


@blueprint.after_app_request
def count(response: Response) -> Response:
    if is_resource_download() and counting.counts_as_a_download(response):
        resource_id = (request.view_args or {}).get("resource_id")
        if resource_id:
            counting.count_download(resource_id)
    return response
