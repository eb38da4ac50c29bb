"""Input no page or action can use, refused at the door with a message.

* A NUL character anywhere in a request's path, query string or form:
  PostgreSQL text cannot hold it, and psycopg2 raises ``ValueError`` deep in
  whatever action received it (a 500 from ``package_autocomplete``, the
  ``/api/2/util`` autocompletes, a dataset page...).  :func:`refuse_nul`
  runs before every request: 409 in JSON for the API, 400 for pages.
* ``limit`` of core's ``*_autocomplete`` actions is passed to SQL's
  ``LIMIT`` unchecked (``limit=x`` is a 500): :func:`with_checked_limits`
  chains each to check it first.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from flask import Response, jsonify, request

__all__ = ["limit_of", "refuse_nul", "with_checked_limits"]

NUL = "\x00"
#: The most rows an autocomplete may be asked for.
MAX_AUTOCOMPLETE_LIMIT = 100
AUTOCOMPLETE_ACTIONS = ("package_autocomplete", "format_autocomplete",
                        "tag_autocomplete", "user_autocomplete",
                        "group_autocomplete", "organization_autocomplete")


def refuse_nul() -> Response | None:
    """``before_request``: a request carrying a NUL gets a short refusal."""
    if not _has_nul(request.path, *_values(request.args), *_form_values()):
        return None
    message = tk._("The request contains a NUL character, which this site does "
                   "not accept.")
    if request.path.startswith("/api/"):
        response = jsonify({"success": False, "error": {
            "__type": "Validation Error", "message": message}})
        response.status_code = 409
        return response
    return Response(message, status=400, mimetype="text/plain")


def _has_nul(*texts: str) -> bool:
    return any(NUL in t for t in texts)


def _values(multidict: Any) -> Iterable[str]:
    for key, values in multidict.lists():
        yield key
        yield from values


def _form_values() -> Iterable[str]:
    # only form bodies (already bounded by MAX_CONTENT_LENGTH); files and
    # JSON are not read here
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        yield from _values(request.form)


def limit_of(data_dict: DataDict, default: int,
             maximum: int = MAX_AUTOCOMPLETE_LIMIT) -> int:
    """``data_dict["limit"]``: a whole number from 1 to ``maximum``, else a
    ``ValidationError`` that says so (``default`` when it is not given)."""
    limit = data_dict.get("limit")
    if limit in (None, ""):
        return default
    try:
        value = int(limit)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= maximum or isinstance(limit, bool):
        raise tk.ValidationError({"limit": [
            tk._("Must be a whole number from 1 to {max}.").format(max=maximum)]})
    return value


def _checked_limit(data_dict: DataDict) -> DataDict:
    if data_dict.get("limit") in (None, ""):
        return data_dict
    return {**data_dict, "limit": limit_of(data_dict, 0)}


def _chained(name: str, inner: Action | None) -> Action:
    # GET-able as core's are
    @tk.side_effect_free
    @tk.chained_action
    def checked(action: Action, context: Context, data_dict: DataDict) -> Any:
        data_dict = _checked_limit(data_dict)
        if inner is not None:
            return inner(action, context, data_dict)  # type: ignore[call-arg]
        return action(context, data_dict)
    checked.__name__ = name
    checked.__doc__ = (f"Core's ``{name}`` with its ``limit`` checked (a whole "
                       f"number from 1 to {MAX_AUTOCOMPLETE_LIMIT}).")
    return checked


def with_checked_limits(actions: dict[str, Action]) -> dict[str, Action]:
    """``actions`` (``IActions``) with every ``*_autocomplete`` checking its
    ``limit`` first, before any chained action of ``actions`` for it."""
    return {**actions, **{name: _chained(name, actions.get(name))
                          for name in AUTOCOMPLETE_ACTIONS}}
