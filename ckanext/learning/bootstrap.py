"""Idempotent set-up of a portal: theme groups, demo admin, demo content.

Everything goes through CKAN's actions (validation, indexing, activity) as
the site user; existing objects are kept untouched so re-running is safe.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

DEMO_ADMIN = "admin"


@dataclass
class Report:
    created: int = 0
    kept: int = 0


@dataclass
class AdminReport:
    name: str
    created: bool


def _data(name: str) -> Any:
    return json.loads(resources.files("ckanext.learning").joinpath(
        "data", name).read_text(encoding="utf-8"))


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)(_context(), {"id": name})
        return True
    except tk.ObjectNotFound:
        return False


def themes() -> list[dict[str, Any]]:
    """The nine theme groups, in display order."""
    return _data("themes.json")


def create_themes() -> Report:
    report = Report()
    for theme in themes():
        if _exists("group_show", theme["name"]):
            report.kept += 1
            continue
        tk.get_action("group_create")(_context(), {
            "name": theme["name"],
            "title": theme["title"],
            "description": f"{theme['description']}\n\n{theme['description_km']}",
            "extras": [{"key": "title_km", "value": theme["title_km"]}],
        })
        report.created += 1
    return report


def create_demo_admin(password: str) -> AdminReport:
    if model.User.get(DEMO_ADMIN):
        return AdminReport(DEMO_ADMIN, created=False)
    tk.get_action("user_create")(_context(), {
        "name": DEMO_ADMIN, "email": "admin@learning.example.org",
        "password": password, "fullname": "Learning Platform Admin",
    })
    user = model.User.get(DEMO_ADMIN)
    assert user
    user.sysadmin = True
    model.Session.commit()
    return AdminReport(DEMO_ADMIN, created=True)


def create_demo_content() -> Report:
    data = _data("demo.json")
    for org in data["organizations"]:
        if not _exists("organization_show", org["name"]):
            tk.get_action("organization_create")(_context(), dict(org))
    report = Report()
    for item in data["datasets"]:
        if _exists("package_show", item["name"]):
            report.kept += 1
            continue
        tk.get_action("package_create")(_context(), _demo_dataset(item))
        report.created += 1
    return report


def _demo_dataset(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": item["name"],
        "title": item["title"],
        "notes": f"{item['notes']}\n\n{item['notes_km']}",
        "owner_org": item["owner_org"],
        "license_id": "cc-by",
        "groups": [{"name": g} for g in item["groups"]],
        "tags": [{"name": t} for t in item["tags"]],
        "extras": [{"key": "title_km", "value": item["title_km"]}],
        "resources": [{
            "name": item["title"],
            "url": f"https://learning.opendevelopmentcambodia.net/files/{item['name']}.pdf",
            "format": "PDF",
        }],
    }
