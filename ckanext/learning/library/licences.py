"""Licence names in the reader's language.

CKAN reads the licences of ``licenses_group_url`` (``data/licenses.json``)
with one English title each and shows that title everywhere.  The library's
licence list also names each licence in Khmer (``title_km``; ``title_<lang>``
for any other language); licences it does not know keep CKAN's title.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ckanext.learning.fluent.languages import ui_language
from ckanext.learning.themes.catalogue import data_file

DEFAULT = "CC-BY-4.0"


@lru_cache(maxsize=1)
def _titles() -> dict[str, dict[str, str]]:
    titles: dict[str, dict[str, str]] = {}
    for licence in data_file("licenses.json"):
        names = {"en": licence["title"]}
        names.update({key[len("title_"):]: value for key, value in licence.items()
                      if key.startswith("title_")})
        titles[licence["id"]] = names
    return titles


def title(license_id: str | None, fallback: str | None = None,
          lang: str | None = None) -> str:
    """A licence's name in ``lang`` (the page's), else English, else
    ``fallback`` (CKAN's title) or the id."""
    names = _titles().get(license_id or "")
    if not names:
        return fallback or license_id or ""
    return names.get(lang or ui_language()) or names["en"]


def learning_license_options(existing: str | None = None) -> list[tuple[str, str]]:
    """``(id, name)`` of the licences a contributor may choose, in the
    page's language, in the order of the library's list (CC BY 4.0 first);
    an existing record's own licence stays selectable."""
    import ckan.model as model

    register = model.Package.get_license_register()
    ours = [lid for lid in _titles() if lid in register]
    others = sorted((lid for lid in register.keys() if lid not in _titles()),
                    key=lambda lid: register[lid].title)
    ids = ours + others
    if existing and existing not in ids:
        ids.insert(0, existing)
    return [(lid, title(lid, register[lid].title if lid in register else lid))
            for lid in ids]


def localise(pkg_dict: dict[str, Any]) -> None:
    """A record's ``license_title`` in the page's language (for the page)."""
    if pkg_dict.get("license_id"):
        pkg_dict["license_title"] = title(pkg_dict["license_id"],
                                          pkg_dict.get("license_title"))
