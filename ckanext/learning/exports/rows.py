"""One record as a CSV row: each bilingual field as two columns."""
from __future__ import annotations

from typing import Any

from ckanext.learning.fluent import languages

__all__ = ["HEADER", "row"]

#: (column, how to read it from a ``package_search`` record)
COLUMNS: list[tuple[str, Any]] = [
    ("id", lambda p: p.get("id")),
    ("name", lambda p: p.get("name")),
    ("url", None),  # filled in by the view (needs the site's address)
    ("title_km", lambda p: _lang(p, "title_translated", "km")),
    ("title_en", lambda p: _lang(p, "title_translated", "en")),
    ("summary_km", lambda p: _lang(p, "notes_translated", "km")),
    ("summary_en", lambda p: _lang(p, "notes_translated", "en")),
    ("resource_type", lambda p: p.get("resource_type")),
    ("themes", lambda p: _joined(p.get("themes"))),
    ("keywords_km", lambda p: _joined(languages.load(p.get("keywords")).get("km"))),
    ("keywords_en", lambda p: _joined(languages.load(p.get("keywords")).get("en"))),
    ("language", lambda p: _joined(p.get("language"))),
    ("organization", lambda p: (p.get("organization") or {}).get("name")),
    ("organization_title", lambda p: (p.get("organization") or {}).get("title")),
    ("license", lambda p: p.get("license_id")),
    ("published", lambda p: p.get("metadata_created")),
    ("modified", lambda p: p.get("metadata_modified")),
    ("files_and_links", lambda p: _joined(r.get("url") for r in p.get("resources") or [])),
]
HEADER = [name for name, _ in COLUMNS]


def row(package: dict[str, Any], url: str) -> list[str]:
    return [url if read is None else _text(read(package)) for _, read in COLUMNS]


def _lang(package: dict[str, Any], field: str, lang: str) -> str:
    value = languages.load(package.get(field)).get(lang)
    return value if isinstance(value, str) else ""


def _joined(values: Any) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return " | ".join(str(v) for v in values if v)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
