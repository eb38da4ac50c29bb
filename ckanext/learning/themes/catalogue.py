"""The nine themes (``data/themes.json``) and their CKAN groups.

Set-up goes through CKAN's actions as the site user and keeps what exists,
so ``ckan learning init`` can run at every start.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk


@dataclass
class Report:
    """What a set-up step did: objects created, objects kept as they were."""
    created: int = 0
    kept: int = 0
    updated: int = 0


def data_file(name: str) -> Any:
    """A JSON file of the package's ``data/`` folder."""
    return json.loads(resources.files("ckanext.learning").joinpath(
        "data", name).read_text(encoding="utf-8"))


def site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)(site_context(), {"id": name})
        return True
    except tk.ObjectNotFound:
        return False


@lru_cache(maxsize=1)
def _themes() -> tuple[dict[str, Any], ...]:
    return tuple(data_file("themes.json"))


def themes() -> list[dict[str, Any]]:
    """The nine theme groups, in display order (read once: search facets,
    forms and validation all ask for them)."""
    return list(_themes())


def theme_names() -> set[str]:
    return {t["name"] for t in _themes()}


ICON_PATH = "/learning/themes/{name}.svg"


def icon_url(name: str) -> str:
    """The full address of a theme's icon on this portal.  Core takes any
    ``image_url`` not starting with ``http`` for an uploaded file
    (``/uploads/group/<image_url>``), so a site path would give the API a
    404 for ``image_display_url``; a full address is given as it is."""
    return tk.config["ckan.site_url"].rstrip("/") + ICON_PATH.format(name=name)


def is_own_icon(url: str | None, name: str | None) -> bool:
    """Whether ``url`` is the portal's own icon of theme ``name``, at this
    portal's address or another's (the site moved, a site path of old)."""
    return bool(url and name) and urlsplit(url).path.endswith(ICON_PATH.format(name=name))


def create_themes() -> Report:
    """Create the theme groups that do not exist yet, in both languages, and
    point the icons of existing ones at this portal's address."""
    report = Report()
    for theme in themes():
        if exists("group_show", theme["name"]):
            report.kept += 1
            shown = tk.get_action("group_show")(site_context(), {"id": theme["name"]})
            wanted = icon_url(theme["name"])
            if is_own_icon(shown.get("image_url"), theme["name"]) and (
                    shown["image_url"] != wanted):
                tk.get_action("group_patch")(site_context(), {
                    "id": shown["id"], "image_url": wanted})
                report.updated += 1
            continue
        tk.get_action("group_create")(site_context(), {
            "name": theme["name"],
            "title_translated": {"en": theme["title"], "km": theme["title_km"]},
            "description_translated": {"en": theme["description"],
                                       "km": theme["description_km"]},
            "image_url": icon_url(theme["name"]),
        })
        report.created += 1
    return report
