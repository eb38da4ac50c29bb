"""Template helpers for the multilingual form and display snippets."""
from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError

from ckanext.learning.fluent import languages

__all__ = [
    "fluent_form_languages",
    "fluent_required_languages",
    "fluent_text_for_display",
    "fluent_language_name",
]

#: names as each language calls itself (the form labels its inputs with them).
_NAMES = {"km": "ខ្មែរ", "en": "English"}


def fluent_form_languages(field: dict[str, Any] | None = None,
                          schema: dict[str, Any] | None = None) -> list[str]:
    """Languages to show inputs for, in order: the field's or schema's
    ``form_languages``, else ``ckan.locales_offered``."""
    return languages.form_languages(field, schema)


def fluent_required_languages(field: dict[str, Any] | None = None,
                              schema: dict[str, Any] | None = None) -> list[str]:
    """Languages the form marks as required (``required`` or
    ``required_languages``), the same rule the validators apply."""
    return languages.required_languages(field, schema)


def fluent_text_for_display(value: Any, lang: str | None = None
                            ) -> tuple[Any, str | None, bool]:
    """``(text, lang_used, is_fallback)`` for a multilingual value (dict or
    stored JSON; text or a tag list): the UI language when filled, else the
    site default, else any filled one, so a page is never blank because one
    translation is missing; ``is_fallback`` lets the page say so."""
    wanted = lang or languages.ui_language()
    text, used = languages.pick(languages.load(value), wanted)
    if used is None:
        return "", None, False
    return text, used, used != wanted


def fluent_language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's own name (ខ្មែរ, English) for the form's input labels, or
    its name in ``in_lang`` ("Khmer" on an English page) for running text."""
    if in_lang is None and lang in _NAMES:
        return _NAMES[lang]
    try:
        return Locale.parse(lang).get_display_name(in_lang or lang) or lang
    except (ValueError, UnknownLocaleError):
        return lang
