"""Our records as a portal with core CKAN fields only can store them.

A stock CKAN portal (no scheming, no fluent) that harvests our API with the
CKAN harvester gets nothing from the normal API: it has no dataset type
``learning-resource`` (its pages answer 500), no fluent fields (titles and
summaries are dropped), and its ``tag_name_validator`` refuses Khmer vowel
signs and coeng, so it refuses every record whose keywords include a Khmer
word.  These functions reshape what ``package_show``, ``group_show`` and
``organization_show`` return into what such a portal keeps:

- ``type`` is ``dataset``, the one type every portal has;
- ``title``, ``notes`` and the names of resources, themes and organisations
  are in one language (the one the harvest source URL names, else the
  other);
- the keywords that core's own tag validators accept are ``tags``; the rest
  of the record (the other language, the Khmer keywords, type of resource,
  year, languages, ``edition_of`` …) is in ``extras``, which core keeps and
  shows as "Additional info";
- images and links are absolute, pointing at this portal.
"""
from __future__ import annotations

import json
from typing import Any

from ckan.lib.navl.dictization_functions import Invalid
from ckan.logic import validators as core_validators

__all__ = ["LANGUAGES", "dataset", "group", "core_tags", "extras"]

#: The languages a harvest source URL may name.
LANGUAGES = ("km", "en")

#: The keys of core CKAN's dataset dict that go across as they are.
_DATASET_KEYS = ("id", "name", "author", "author_email", "maintainer",
                 "maintainer_email", "license_id", "license_title", "license_url",
                 "url", "version", "state", "private", "owner_org",
                 "metadata_created", "metadata_modified", "isopen")
#: Core keys that are rebuilt here, or that a harvesting portal sets itself.
_REBUILT = frozenset({"type", "title", "notes", "tags", "groups", "resources",
                      "organization", "extras", "num_tags", "num_resources",
                      "creator_user_id", "relationships_as_object",
                      "relationships_as_subject", "title_translated",
                      "notes_translated", "tag_string"})
#: Keys of ours that say nothing about the resource itself.
_INTERNAL = frozenset({"review_status", "download_count", "themes"})
_RESOURCE_KEYS = ("id", "url", "format", "mimetype", "size", "hash", "created",
                  "last_modified", "metadata_modified", "position", "url_type",
                  "package_id", "state")
_GROUP_KEYS = ("id", "name", "state", "type", "is_organization", "approval_status",
               "created", "package_count")


def _pick(translated: Any, lang: str) -> str:
    """``translated``'s text in ``lang``, else in the other language."""
    if not isinstance(translated, dict):
        return translated or ""
    for code in (lang, *(c for c in LANGUAGES if c != lang), *translated):
        if translated.get(code):
            return translated[code]
    return ""


def _others(translated: Any, lang: str, shown: str) -> dict[str, str]:
    """``translated``'s texts other than the one shown, by language."""
    if not isinstance(translated, dict):
        return {}
    return {code: text for code, text in translated.items()
            if text and text != shown and code != lang}


def _absolute(url: str, site_url: str) -> str:
    return site_url.rstrip("/") + url if url.startswith("/") else url


def core_tags(keywords: dict[str, list[str]] | None,
              tags: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The keywords, and our core tags, that core's validators accept."""
    names = [*(word for words in (keywords or {}).values() for word in words or []),
             *(tag["name"] for tag in tags)]
    kept: list[dict[str, str]] = []
    for name in dict.fromkeys(names):
        try:
            core_validators.tag_length_validator(name, {})
            core_validators.tag_name_validator(name, {})
        except Invalid:
            continue
        kept.append({"name": name})
    return kept


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, (dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def extras(record: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """Every field of ours as core ``extras``: one per language of a
    translated field (``title_km``, ``keywords_en``…), lists joined by
    commas; the language shown in core ``title``/``notes`` is not repeated."""
    found: dict[str, str] = {}
    for key, value in record.items():
        if key in _DATASET_KEYS or key in _INTERNAL or key.startswith("_"):
            continue
        if key in ("title_translated", "notes_translated"):
            base = key.removesuffix("_translated")
            for code, text in _others(value, lang, _pick(value, lang)).items():
                found[f"{base}_{code}"] = text
            continue
        if key in _REBUILT:
            continue
        if isinstance(value, dict) and set(value) <= {*LANGUAGES, "other"}:
            for code, text in value.items():
                if _text(text):
                    found[f"{key.removesuffix('_translated')}_{code}"] = _text(text)
        elif _text(value):
            found[key] = _text(value)
    return [{"key": key, "value": value} for key, value in sorted(found.items())]


def group(shown: dict[str, Any], lang: str, site_url: str) -> dict[str, Any]:
    """A theme (group) or an organisation with core fields only."""
    title = _pick(shown.get("title_translated"), lang) or shown.get("title") or ""
    description = (_pick(shown.get("description_translated"), lang)
                   or shown.get("description") or "")
    image = shown.get("image_display_url") or shown.get("image_url") or ""
    core = {key: shown[key] for key in _GROUP_KEYS if key in shown}
    return {**core, "title": title, "display_name": title, "description": description,
            "image_url": _absolute(image, site_url),
            "image_display_url": _absolute(image, site_url)}


def _resource(shown: dict[str, Any], lang: str) -> dict[str, Any]:
    name = _pick(shown.get("name_translated"), lang) or shown.get("name") or ""
    description = (_pick(shown.get("description_translated"), lang)
                   or shown.get("description") or "")
    core = {key: shown[key] for key in _RESOURCE_KEYS if key in shown}
    others = {f"name_{code}": text
              for code, text in _others(shown.get("name_translated"), lang, name).items()}
    return {**core, **others, "name": name, "description": description}


def dataset(record: dict[str, Any], lang: str, site_url: str) -> dict[str, Any]:
    """``record`` (our ``package_show``) as a core CKAN dataset."""
    core = {key: record[key] for key in _DATASET_KEYS if key in record}
    tags = core_tags(record.get("keywords"), record.get("tags") or [])
    groups = [group(g, lang, site_url) for g in record.get("groups") or []]
    resources = [_resource(r, lang) for r in record.get("resources") or []]
    organization = record.get("organization")
    return {**core, "type": "dataset",
            "title": _pick(record.get("title_translated"), lang) or record.get("title") or "",
            "notes": _pick(record.get("notes_translated"), lang) or record.get("notes") or "",
            "tags": tags, "num_tags": len(tags), "groups": groups,
            "resources": resources, "num_resources": len(resources),
            "organization": organization and group(organization, lang, site_url),
            "extras": extras(record, lang)}
