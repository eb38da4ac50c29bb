"""Validators of the learning-resource schema (registered by toolkit.blanket)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.scheming.validation import scheming_validator

__all__ = ["learning_positive", "learning_year", "learning_isbn", "learning_issn",
           "learning_default_license", "learning_edition_of", "learning_link_format",
           "learning_one_language", "learning_resource_name", "learning_period_end"]

DEFAULT_LICENSE = "CC-BY-4.0"



#: A dataset name or id, as core allows them (2 to 100 of a-z, 0-9, - and _).
EDITION_NAME = re.compile(r"^[a-z0-9_\-]{2,100}$")

def learning_positive(value: Any, context: Any) -> Any:
    if value is not None and value != "" and int(value) <= 0:
        raise tk.Invalid(tk._("Must be a positive whole number"))
    return value


def learning_year(value: Any, context: Any) -> Any:
    """A publication year: four digits, not after next year."""
    if value in (None, ""):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise tk.Invalid(tk._("Year must have four digits, e.g. 2023"))
    year = int(text)
    if not 1800 <= year <= dt.date.today().year + 1:
        raise tk.Invalid(tk._("Year {year} is not plausible").format(year=year))
    return text


def learning_period_end(key: Any, data: dict[Any, Any], errors: dict[Any, Any],
                        context: Any) -> None:
    """The last year of the period covered: four digits, not before its
    first year (a plan may cover years still to come, up to 2100)."""
    value = data.get(key)
    if value in (None, ""):
        return
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        errors[key].append(tk._("Year must have four digits, e.g. 2023"))
        return
    if not 1800 <= int(text) <= 2100:
        errors[key].append(tk._("Year {year} is not plausible").format(year=text))
        return
    start = str(data.get(key[:-1] + ("temporal_start",)) or "").strip()
    if re.fullmatch(r"\d{4}", start) and int(text) < int(start):
        errors[key].append(tk._("The period cannot end before it starts ({year})")
                           .format(year=start))
        return
    data[key] = text


def _isbn_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def learning_isbn(value: Any, context: Any) -> Any:
    if not value:
        return value
    digits = re.sub(r"[\s-]", "", str(value))
    if not re.fullmatch(r"\d{9}[\dXx]|\d{13}", digits) or not _isbn_ok(digits):
        raise tk.Invalid(tk._("Not a valid ISBN (10 or 13 digits with a correct check digit)"))
    return str(value).strip()


def learning_issn(value: Any, context: Any) -> Any:
    if not value:
        return value
    digits = re.sub(r"[\s-]", "", str(value)).upper()
    ok = re.fullmatch(r"\d{7}[\dX]", digits)
    if ok:
        total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
        check = (11 - total % 11) % 11
        ok = digits[7] == ("X" if check == 10 else str(check))
    if not ok:
        raise tk.Invalid(tk._("Not a valid ISSN (e.g. 2049-3630)"))
    return f"{digits[:4]}-{digits[4:]}"


def learning_default_license(value: Any, context: Any) -> Any:
    """Licences default to CC BY 4.0; an unknown licence id is an error."""
    from ckan.model import Package

    if value in (None, "") or value is tk.missing:
        return DEFAULT_LICENSE
    if value not in Package.get_license_register():
        raise tk.Invalid(tk._("Unknown licence: {id}").format(id=value))
    return value


def learning_edition_of(value: Any, context: Any) -> Any:
    """The other-language edition: a dataset's name (or id).  It need not
    exist yet: a harvester brings records in any order, and a record must
    not fail because its edition comes later; the page links to the edition
    once it exists (``helpers.learning_editions``)."""
    if not value:
        return value
    if not isinstance(value, str) or not EDITION_NAME.match(value):
        raise tk.Invalid(tk._("Not the name of a resource: {name}").format(name=value))
    return value


def learning_link_format(key: Any, data: Any, errors: Any, context: Any) -> None:
    """A link to a video site (YouTube, Vimeo...) is a page on that site,
    whatever format was typed or guessed for it ("MP4"): its format is the
    site's name, which is what the badge then says."""
    from ckanext.learning.library.portal import learning_format_label

    url = data.get(key[:-1] + ("url",))
    site = learning_format_label({"url": url if isinstance(url, str) else ""})
    if site:
        data[key] = site


def _form_inputs(key: tuple, data: dict[str, Any]) -> dict[str, Any]:
    """The form's ``<field>-<lang>`` inputs of a multilingual field, read
    without consuming them (the multilingual validator does that)."""
    prefix = f"{key[-1]}-"
    found: dict[str, Any] = {}
    extras = data.get(key[:-1] + ("__extras",))
    sources = [extras.items() if isinstance(extras, dict) else []]
    junk = data.get(("__junk",))
    if isinstance(junk, dict):
        sources.append((k[-1], v) for k, v in junk.items() if k[:-1] == key[:-1])
    sources.append((k[-1], v) for k, v in data.items()
                   if isinstance(k, tuple) and k[:-1] == key[:-1])
    for pairs in sources:
        for name, value in pairs:
            if isinstance(name, str) and name.startswith(prefix):
                found[name[len(prefix):]] = value
    return found


def _given_languages(key: tuple, data: dict[str, Any]) -> dict[str, Any]:
    """What was given for a multilingual field, per language, without
    consuming anything: the form's ``<field>-<lang>`` inputs, else the value
    (a dict or its JSON), else the core field (``title``)."""
    from ckanext.learning.fluent import languages

    found = _form_inputs(key, data)
    if not found:
        value = data.get(key)
        if value is not tk.missing and value not in (None, ""):
            found = languages.load(value)
    if not found and key[-1].endswith("_translated"):
        core = data.get(key[:-1] + (key[-1][:-len("_translated")],))
        # core fills an empty title with the URL name: that is no title
        if isinstance(core, str) and core != data.get(key[:-1] + ("name",)):
            found = {languages.default_language(): core}
    return found


def _stays_draft(data: dict[str, Any], context: Any) -> bool:
    state = data.get(("state",))
    if not isinstance(state, str) or not state:
        state = getattr(context.get("package"), "state", None) or ""
    return state.startswith("draft")


@scheming_validator
def learning_one_language(field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """From the form, a title or summary in at least one language, on its
    first stage too: the multilingual validator lets drafts through, so an
    empty summary used to be caught only on the last stage, named by its
    field name and language codes.  The message names the languages in the
    page's language; the form names the field by its label.  Drafts saved
    through the API (no per-language inputs) may still wait for their title,
    as the multilingual validator allows."""
    from ckanext.learning.fluent import languages
    from ckanext.learning.fluent.helpers import fluent_language_name

    def validator(key: Any, data: Any, errors: Any, context: Any) -> None:
        if errors[key]:
            return
        if not _form_inputs(key, data) and _stays_draft(data, context):
            return
        if any(languages.filled(v) for v in _given_languages(key, data).values()):
            return
        names = [fluent_language_name(lang, languages.ui_language())
                 for lang in languages.form_languages(field, schema)]
        errors[key].append(tk._("Fill it in, in at least one language: {languages}")
                           .format(languages=", ".join(names)))

    return validator


#: Longest URL name made from a title (CKAN allows 100 characters).
NAME_LENGTH = 60


def learning_resource_name(key: Any, data: Any, errors: Any, context: Any) -> None:
    """The URL name of a resource, never required: as typed, else made here
    from the English title, else from the Khmer title in Latin letters, else
    a short id; a number or an id is added when the name is taken."""
    import uuid

    from ckan.lib.munge import munge_title_to_name
    from ckan.model import Package

    from ckanext.learning.fluent import languages
    from ckanext.learning.library.romanise import romanise

    value = data.get(key)
    if isinstance(value, str) and value.strip():
        return
    titles = _given_languages(key[:-1] + ("title_translated",), data)
    english = titles.get("en") if languages.filled(titles.get("en")) else None
    khmer = next((t for lang, t in titles.items()
                  if lang != "en" and languages.filled(t)), None)
    base = ""
    for text in (english, romanise(khmer) if khmer else None):
        if text:
            base = munge_title_to_name(text)[:NAME_LENGTH].strip("-_")
            if len(base) >= 2:
                break
    current = getattr(context.get("package"), "id", None)
    if len(base) < 2:  # a title of signs or digits only: a short id
        data[key] = f"resource-{uuid.uuid4().hex[:8]}"
        return

    def free(name: str) -> bool:
        found = Package.get(name)
        return found is None or found.id == current

    name = base
    for number in range(2, 6):
        if free(name):
            break
        name = f"{base}-{number}"
    else:
        name = f"{base}-{uuid.uuid4().hex[:6]}"
    data[key] = name
