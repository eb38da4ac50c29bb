"""The themes' concept scheme on the portal, and bad catalogue pages in RDF.

``/learning/themes`` (``.ttl``, ``.rdf``/``.xml``, ``.jsonld``, ``.n3``) serves
the SKOS scheme the records' ``dcat:theme`` point into (``themes.py``); the
bare address negotiates the format from ``Accept`` and sends browsers to the
theme list.

ckanext-dcat answers ``/catalog.ttl?page=0`` or ``?page=abc`` (and a bad
``modified_since``) with its validation error as a 409 HTML page.  Before its
view runs, :func:`refuse_bad_catalogue_page` answers those requests with a
400 whose body is a ``hydra:Error`` in the format asked for.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
from dateutil.parser import parse as parse_date
from flask import Blueprint, Response, redirect, request
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, XSD

from ckanext.dcat.utils import CONTENT_TYPES, url_to_rdflib_format
from ckanext.learning.dcat import themes

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

#: ckanext-dcat's catalogue view (``blueprints.dcat``, ``read_catalog``).
CATALOG_ENDPOINT = "dcat.read_catalog"
#: A page number as ckanext-dcat needs it: a whole number from 1 (an empty
#: value means the first page).  Twelve digits at most: further pages are
#: empty anyway, and the offset must fit the database's integers.
_PAGE = re.compile(r"[1-9][0-9]{0,11}")

#: Media types by format, and the formats a negotiated request may get.
_NEGOTIATED = {"text/turtle": "ttl", "application/rdf+xml": "rdf",
               "application/ld+json": "jsonld", "text/n3": "n3"}

blueprint = Blueprint("learning_dcat", __name__)


def _serialize(graph: Graph, fmt: str) -> Response:
    body = graph.serialize(format=url_to_rdflib_format(fmt))
    return Response(body, mimetype=CONTENT_TYPES[fmt])


@blueprint.route(themes.PATH)
def theme_scheme() -> Response:
    """The concept scheme of the themes, in the format ``Accept`` prefers."""
    best = request.accept_mimetypes.best_match([*_NEGOTIATED, "text/html"],
                                               default="text/turtle")
    if best == "text/html":
        return redirect(tk.url_for("group.index"), code=303)
    response = _serialize(themes.scheme_graph(), _NEGOTIATED[best])
    response.vary.add("Accept")
    return response


@blueprint.route(f"{themes.PATH}.<fmt>")
def theme_scheme_as(fmt: str) -> Response:
    if fmt not in CONTENT_TYPES:
        return tk.abort(404)
    return _serialize(themes.scheme_graph(), fmt)


def _bad_request(fmt: str, parameter: str, value: str, message: dict[str, str]) -> Response:
    graph = Graph()
    graph.bind("hydra", HYDRA)
    error = BNode()
    graph.add((error, RDF.type, HYDRA.Error))
    graph.add((error, HYDRA.statusCode, Literal(400, datatype=XSD.integer)))
    graph.add((error, HYDRA.title, Literal("Bad Request", lang="en")))
    for lang, text in message.items():
        graph.add((error, HYDRA.description,
                   Literal(text.format(parameter=parameter, value=value), lang=lang)))
    response = _serialize(graph, fmt)
    response.status_code = 400
    return response


@blueprint.before_app_request
def refuse_bad_catalogue_page() -> Response | None:
    """A 400 in RDF for a catalogue page that is not a whole number from 1,
    or a ``modified_since`` that is not a date."""
    if request.endpoint != CATALOG_ENDPOINT:
        return None
    fmt = (request.view_args or {}).get("_format")
    if fmt is None:  # content negotiation on ``/``: RDF only if asked for
        fmt = _NEGOTIATED.get(request.accept_mimetypes.best_match(
            [*_NEGOTIATED, "text/html"], default="text/html"))
    if fmt not in CONTENT_TYPES:
        return None
    page = request.args.get("page", "")
    if page and not _PAGE.fullmatch(page.strip()):
        return _bad_request(fmt, "page", page, {
            "en": "The {parameter} parameter must be a whole number from 1, not '{value}'.",
            "km": "ប៉ារ៉ាម៉ែត្រ {parameter} ត្រូវតែជាចំនួនគត់ចាប់ពី ១ មិនមែន '{value}' ទេ។",
        })
    modified_since = request.args.get("modified_since")
    if modified_since:
        try:
            parse_date(modified_since)
        except (ValueError, OverflowError):
            return _bad_request(fmt, "modified_since", modified_since, {
                "en": "The {parameter} parameter must be an ISO 8601 date, not '{value}'.",
                "km": "ប៉ារ៉ាម៉ែត្រ {parameter} ត្រូវតែជាកាលបរិច្ឆេទ ISO 8601 មិនមែន '{value}' ទេ។",
            })
    return None
