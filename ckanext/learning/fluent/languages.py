"""Which languages a multilingual field has, which it requires, and how its
stored value reads back: shared by the validators and the template helpers so
the form, the checks and the display never disagree."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context

#: ``fluent_required`` value meaning "at least one language must be filled".
ANY = "any"


def default_language() -> str:
    return tk.config.get("ckan.locale_default") or "en"


def ui_language() -> str:
    """The page's language as the form languages spell it (``en``, ``km``);
    the site default outside a request (CLI, background jobs)."""
    ui = tk.h.lang() if has_request_context() else None
    return (ui or default_language()).split("_")[0]


def form_languages(field: dict[str, Any] | None = None,
                   schema: dict[str, Any] | None = None) -> list[str]:
    """The field's ``form_languages``, else the schema's, else the offered
    locales (``ckan.locales_offered``, base language only), else the default."""
    for source in (field, schema):
        if source and source.get("form_languages"):
            return list(source["form_languages"])
    offered = tk.config.get("ckan.locales_offered") or []
    if isinstance(offered, str):
        offered = offered.split()
    langs: list[str] = []
    for locale in offered:
        lang = locale.split("_")[0]
        if lang not in langs:
            langs.append(lang)
    return langs or [default_language()]


def required_languages(field: dict[str, Any] | None,
                       schema: dict[str, Any] | None = None) -> list[str]:
    """Languages that must be filled: all of them for upstream's
    ``required: true``, else the field's ``required_languages``."""
    if not field:
        return []
    if field.get("required"):
        return form_languages(field, schema)
    return list(field.get("required_languages") or [])


def requires_any(field: dict[str, Any] | None) -> bool:
    return bool(field) and field.get("fluent_required") == ANY


def load(value: Any) -> dict[str, Any]:
    """A stored value as ``{lang: value}``: dicts pass through, JSON objects
    are decoded, anything else (a plain legacy string) is taken to be in the
    site's default language, as upstream fluent reads it."""
    if isinstance(value, dict):
        return value
    if value is tk.missing or value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            return decoded
    return {default_language(): value}


def filled(value: Any) -> bool:
    """A language counts as given when it has non-blank text / any tag."""
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def pick(values: dict[str, Any], prefer: str | None,
         order: Iterable[str] = ()) -> tuple[Any, str | None]:
    """``(value, lang)`` in ``prefer``, else the site default, else the first
    filled language in ``order`` then in the value itself; ``(None, None)``."""
    for lang in (prefer, default_language(), *order, *values):
        if lang and filled(values.get(lang)):
            return values[lang], lang
    return None, None


def package_title(package: Any) -> str:
    """A dataset's (``model.Package``) title in the UI language, falling back
    to the other language, then to core's title and name (mails, lists)."""
    values = load((package.extras or {}).get("title_translated"))
    text, _lang = pick(values, ui_language())
    return text or package.title or package.name
