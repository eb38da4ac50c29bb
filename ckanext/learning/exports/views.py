"""``/learning/export.csv`` and ``/learning/export.json``."""
from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SearchQueryError
from flask import Blueprint, Response, request, stream_with_context

from ckanext.learning.exports import rows

__all__ = ["blueprint"]

blueprint = Blueprint("learning_exports", __name__)

#: Records asked of the search at a time.
PAGE = 500
#: Parameters of the search page that are not facets.
NOT_FACETS = frozenset({"q", "sort", "page"})
#: The order when none is asked for: newest first, which the in-memory
#: postings answer at any depth (sorting 100,000 by name is SQL's, and takes
#: longer than a search may: bench/export_memory.py).
DEFAULT_SORT = "metadata_modified desc"
#: Most records one export holds.
MAX_RECORDS = 200_000


def search_params() -> dict[str, Any]:
    """The search page's query: ``q``, ``sort``, one filter per chosen facet."""
    filters = []
    for param, value in request.args.items(multi=True):
        if param in NOT_FACETS or param.startswith(("_", "ext_")) or not value:
            continue
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        filters.append(f'{param}:"{escaped}"')
    return {"q": request.args.get("q", ""), "fq": " ".join(filters),
            "sort": request.args.get("sort") or DEFAULT_SORT,
            "include_private": True}


def records(params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every match, a page at a time (the first page is read before the
    response starts, so a bad query is answered 409, not half a file)."""
    search = tk.get_action("package_search")
    start = 0
    page = search({}, {**params, "rows": PAGE, "start": 0})
    total = min(page["count"], MAX_RECORDS)
    while True:
        yield from page["results"]
        start += PAGE
        if start >= total or not page["results"]:
            return
        page = search({}, {**params, "rows": min(PAGE, total - start), "start": start})


def _csv(packages: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(rows.HEADER)
    yield "\ufeff" + flush()  # the BOM: spreadsheets then read Khmer as UTF-8
    for count, package in enumerate(packages, 1):
        writer.writerow(rows.row(package, _url(package)))
        if count % 100 == 0:
            yield flush()
    yield flush()


def _json(packages: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for n, package in enumerate(packages):
        yield ("\n" if n == 0 else ",\n") + json.dumps(package, ensure_ascii=False)
    yield "\n]\n"


def _url(package: dict[str, Any]) -> str:
    return tk.url_for(f"{package.get('type') or 'dataset'}.read", id=package["name"],
                      _external=True)


FORMATS = {"csv": ("text/csv", _csv), "json": ("application/json", _json)}


@blueprint.route("/learning/export.<fmt>")
def export(fmt: str) -> Response:
    """The records of a search, as the search page would list them."""
    if fmt not in FORMATS:
        return tk.abort(404, tk._("Exports are in CSV or JSON."))
    mimetype, write = FORMATS[fmt]
    try:
        packages = records(search_params())
        first = next(packages, None)  # the first page is searched before the response starts
    except tk.ValidationError as err:
        return tk.abort(409, "; ".join(f"{k}: {v}" for k, v in err.error_dict.items()))
    except (SearchError, SearchQueryError) as err:
        return tk.abort(409, tk._("The search could not be run: {error}").format(
            error=err))
    stamp = datetime.date.today().strftime("%Y%m%d")
    every = itertools.chain([first] if first else [], packages)
    response = Response(stream_with_context(write(every)), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="learning-resources-{stamp}.{fmt}"')
    return response
