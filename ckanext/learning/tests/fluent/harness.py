"""Fluent fields run through scheming's own machinery, without a database:
fields are expanded from our presets.json and their validator strings
resolved by ``validators_from_string``, so the preset wiring is tested too."""
from __future__ import annotations

import json
import pathlib
from typing import Any

from ckan.lib.navl.dictization_functions import validate
from ckan.lib.navl.validators import empty, ignore, ignore_missing

import ckanext.learning.fluent as fluent
from ckanext.scheming.validation import validators_from_string

PRESETS = {
    preset["preset_name"]: preset["values"]
    for preset in json.loads(
        (pathlib.Path(fluent.__file__).parent / "presets.json").read_text()
    )["presets"]
}
SCHEMA: dict[str, Any] = {}


def field(preset: str, name: str = "books", **options: Any) -> dict[str, Any]:
    """A schema field as scheming expands it from a preset."""
    return {**PRESETS[preset], "preset": preset, "field_name": name,
            "form_languages": ["km", "en"], **options}


def check(fld: dict[str, Any], data: dict[str, Any],
          context: dict[str, Any] | None = None):
    """Input validation of ``data`` against a dataset-like schema holding
    ``fld``; returns navl's (data, errors)."""
    schema = {
        "name": [ignore_missing],
        "title": [ignore_missing],
        "notes": [ignore_missing],
        "state": [ignore_missing],
        fld["field_name"]: validators_from_string(fld["validators"], fld, SCHEMA),
        "__extras": [ignore],
        "__junk": [empty],
    }
    return validate(data, schema, context or {})


def show(fld: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Output validation, as scheming runs it for ``package_show``."""
    schema = {
        "title": [ignore_missing],
        "notes": [ignore_missing],
        fld["field_name"]: [ignore_missing] + validators_from_string(
            fld["output_validators"], fld, SCHEMA),
    }
    out, errors = validate(data, schema, {})
    assert not errors
    return out
