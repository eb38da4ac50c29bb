"""Theme groups follow a dataset's ``themes`` field.

Themes are real CKAN groups (facets, group pages, the API and harvesters see
them), but a CSO editor is not a member of the theme groups and stock CKAN
would silently drop the membership.  The dataset's ``themes`` field is the
source of truth: after each create/update its theme-group memberships are
set to match it, as the site would (no group permission needed).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.model as model

from ckanext.learning.themes.catalogue import theme_names


def as_list(value: Any) -> list[str]:
    """``themes`` as the API may hold it: a list, a JSON list or one name."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def from_dataset(pkg_dict: dict[str, Any]) -> list[str] | None:
    """The ``themes`` of a validated dataset dict (scheming keeps non-core
    fields in ``extras`` there); None when the dataset has no such field."""
    if "themes" in pkg_dict:
        return as_list(pkg_dict["themes"])
    for extra in pkg_dict.get("extras") or []:
        if extra.get("key") == "themes":
            return as_list(extra.get("value"))
    return None


def sync_theme_groups(package_id: str, themes: Iterable[str]) -> None:
    """Make the dataset's theme-group memberships equal ``themes``."""
    wanted = set(themes) & theme_names()
    groups = {g.name: g for g in model.Session.query(model.Group).filter(
        model.Group.name.in_(theme_names()), model.Group.is_organization.is_(False))}
    members = {m.group_id: m for m in model.Session.query(model.Member).filter(
        model.Member.table_name == "package",
        model.Member.table_id == package_id,
        model.Member.group_id.in_([g.id for g in groups.values()]))}
    for name, group in groups.items():
        member = members.get(group.id)
        if name in wanted:
            if member is None:
                model.Session.add(model.Member(table_name="package", table_id=package_id,
                                               group=group, capacity="public",
                                               state="active"))
            elif member.state != "active":
                member.state = "active"
        elif member is not None and member.state == "active":
            member.state = "deleted"
    # core reads the groups back (package_show, the index) with plain SQL
    model.Session.flush()
