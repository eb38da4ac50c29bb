"""Validators of the learning-resource schema (registered by toolkit.blanket)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["learning_positive", "learning_year", "learning_isbn", "learning_issn",
           "learning_default_license", "learning_edition_of"]

DEFAULT_LICENSE = "CC-BY-4.0"


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
    """The other-language edition must be an existing dataset."""
    if not value:
        return value
    from ckan.model import Package

    if Package.get(value) is None:
        raise tk.Invalid(tk._("No dataset called {name}").format(name=value))
    return value
