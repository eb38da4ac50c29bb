"""Show a record in the page's language.

Pages read ``title``/``notes`` (``description`` for groups and resources)
everywhere: headings, breadcrumbs, search results, feeds.  For the page
only (``before_dataset_view`` / ``before_view``; the API is untouched) those
core fields take the translated value in the UI language, falling back to
the other language; ``learning_fallback`` records which fields fell back so
templates can say so.
"""
from __future__ import annotations

from typing import Any

from ckanext.learning.fluent.helpers import fluent_text_for_display
from ckanext.learning.library import licences

SUFFIX = "_translated"


def localise(obj: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    fallback = {}
    for field in fields:
        value = obj.get(field + SUFFIX)
        if not value:
            continue
        text, lang, is_fallback = fluent_text_for_display(value)
        if text:
            obj[field] = text
            if is_fallback:
                fallback[field] = lang
    obj["learning_fallback"] = fallback
    return obj


def localise_dataset(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    localise(pkg_dict, ("title", "notes"))
    licences.localise(pkg_dict)
    for resource in pkg_dict.get("resources") or []:
        localise(resource, ("name", "description"))
    return pkg_dict


def _group_extras(group_dict: dict[str, Any]) -> None:
    """Lift a group's multilingual extras to the top level: at ``before_view``
    time (inside ``group_dictize``) scheming has not validated the dict yet,
    so ``title_translated`` is still an ``extras`` item (JSON text)."""
    for extra in group_dict.get("extras") or []:
        key = extra.get("key") if isinstance(extra, dict) else None
        if key and key.endswith(SUFFIX) and not group_dict.get(key):
            group_dict[key] = extra.get("value")


def localise_group(group_dict: dict[str, Any]) -> dict[str, Any]:
    _group_extras(group_dict)
    localise(group_dict, ("title", "description"))
    if group_dict.get("title"):
        group_dict["display_name"] = group_dict["title"]
    return group_dict
