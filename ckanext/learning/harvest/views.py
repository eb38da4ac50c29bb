"""``/learning/core-fields/<lang>``: our action API as a stock CKAN portal
can harvest it.

A CSO portal without our plugins points ckanext-harvest's CKAN harvester at
``$SITE/learning/core-fields/km`` (or ``/en``): the harvester appends
``/api/3/action/package_search`` and, with ``remote_groups``/``remote_orgs``,
``group_show`` and ``organization_show``.  Each answer is core's own API
answer (same parameters, permissions, errors and limits) with its result
reshaped by ``core_fields``.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ckan.views import api as core_api
from flask import Blueprint, Response

from ckanext.learning import config
from ckanext.learning.harvest import core_fields

__all__ = ["blueprint"]

blueprint = Blueprint("learning_core_fields", __name__)


def _each(reshape: Callable[[dict[str, Any], str, str], dict[str, Any]]):
    def many(result: list[Any], lang: str, site: str) -> list[Any]:
        # the lists answer names unless all_fields is asked for
        return [reshape(item, lang, site) if isinstance(item, dict) else item
                for item in result]
    return many


def _search(result: dict[str, Any], lang: str, site: str) -> dict[str, Any]:
    return {**result, "results": [core_fields.dataset(r, lang, site)
                                  for r in result.get("results") or []]}


def _group(result: dict[str, Any], lang: str, site: str) -> dict[str, Any]:
    shown = core_fields.group(result, lang, site)
    if "packages" in result:
        shown["packages"] = [core_fields.dataset(p, lang, site) for p in result["packages"]]
    return shown


#: The read actions a harvesting portal (or a person with ckanapi) needs.
RESHAPE: dict[str, Callable[[Any, str, str], Any]] = {
    "package_search": _search,
    "package_show": core_fields.dataset,
    "group_show": _group,
    "organization_show": _group,
    "group_list": _each(core_fields.group),
    "organization_list": _each(core_fields.group),
}


def _error(status: int, message: str, kind: str) -> Response:
    body = {"success": False, "error": {"__type": kind, "message": message}}
    return Response(json.dumps(body), status=status, mimetype="application/json")


# (no route ``defaults``: werkzeug would redirect the other URL to the one
# that has them)
@blueprint.route("/learning/core-fields/<lang>/api/<int:ver>/action/<name>")
@blueprint.route("/learning/core-fields/<lang>/api/action/<name>")
def action(lang: str, name: str, ver: int = 3) -> Response:
    if lang not in core_fields.LANGUAGES:
        return _error(404, f"No such language: {lang!r} (use one of "
                      f"{', '.join(core_fields.LANGUAGES)})", "Not Found Error")
    reshape = RESHAPE.get(name)
    if reshape is None:
        return _error(400, f"Not served in core fields: {name!r} (served: "
                      f"{', '.join(RESHAPE)})", "Bad request")
    response = core_api.action(name, ver)
    if response.status_code != 200:
        return response
    body = json.loads(response.get_data())
    body["result"] = reshape(body["result"], lang, config.site_url())
    response.set_data(json.dumps(body))
    return response
