"""A learning resource's keywords, in both languages, as core tags too.

Keywords are a fluent field (``{"en": [...], "km": [...]}``, as upstream
ckanext-fluent stores them), which core's tag facet, ``tag_list``, feeds,
DCAT and harvesters do not read: they read ``tags``.  After each create and
update a published record's free tags are set to its keywords, Khmer
first, each once (an unpublished record has none: see
:func:`public_keywords`); a record without a ``keywords`` field keeps the
tags it was given.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.model as model

__all__ = ["from_dataset", "public_keywords", "sync_tags", "tag_names"]

FIELD = "keywords"
#: core's limit on a tag's length
MAX_TAG_LENGTH = 100


def from_dataset(pkg_dict: dict[str, Any]) -> dict[str, list[str]] | None:
    """The keywords of a validated dataset dict; None if it has no such field."""
    value = pkg_dict.get(FIELD)
    if value is None:  # scheming keeps non-core fields in extras there
        value = next((e.get("value") for e in pkg_dict.get("extras") or []
                      if e.get("key") == FIELD), None)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def public_keywords(pkg_dict: dict[str, Any],
                    keywords: dict[str, Any]) -> dict[str, Any]:
    """The keywords to make tags of: none while the record is unpublished.
    Core's ``tag_list``, ``tag_show`` and ``tag_autocomplete`` list every
    tag whatever the visibility of its datasets, so an unpublished record's
    keywords would leak through them; they become tags when it is published
    (and stop being tags when it is withdrawn)."""
    if pkg_dict.get("private") or pkg_dict.get("state", "active") != "active":
        return {}
    return keywords


def tag_names(keywords: dict[str, Any]) -> list[str]:
    """Each keyword once, Khmer first, then English, then any other language."""
    order = sorted(keywords, key=lambda lang: {"km": 0, "en": 1}.get(lang, 2))
    names: list[str] = []
    for lang in order:
        values = keywords.get(lang) or []
        for value in [values] if isinstance(values, str) else values:
            name = str(value).strip()
            if name and len(name) <= MAX_TAG_LENGTH and name not in names:
                names.append(name)
    return names


def sync_tags(package_id: str, keywords: dict[str, Any]) -> None:
    """Make the record's free tags (no vocabulary) equal its keywords, the
    way core's ``package_tag_list_save`` does (links marked deleted or
    active again, never removed: core holds them in the session)."""
    package = model.Package.get(package_id)
    if package is None:
        return
    wanted = tag_names(keywords)
    links = {link.tag.name: link for link in package.package_tags
             if link.tag.vocabulary_id is None}
    for name, link in links.items():
        state = "active" if name in wanted else "deleted"
        if link.state != state:
            link.state = state
    for name in wanted:
        if name not in links:
            tag = model.Tag.by_name(name) or model.Tag(name=name)
            model.Session.add(tag)
            model.Session.add(model.PackageTag(package, tag, "active"))
    # what core shows and indexes next is read from the session
    model.Session.flush()
