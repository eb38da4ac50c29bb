"""Search facets of the learning library, labelled in the UI language."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.learning.fluent.languages import ui_language
from ckanext.learning.library.portal import learning_organization_title
from ckanext.learning.search.fields import LIBRARY_FACETS
from ckanext.learning.themes.helpers import learning_theme_choices
from ckanext.scheming.helpers import (
    scheming_field_choices,
    scheming_get_dataset_schema,
    scheming_language_text,
)

DATASET_TYPE = "learning-resource"


def facet_titles() -> dict[str, str]:
    """Facet field → title, in display order (the search package's
    ``LIBRARY_FACETS``, which the index keeps ready for faceting)."""
    titles = {
        "groups": tk._("Themes"),
        "resource_type": tk._("Type of resource"),
        "language": tk._("Language"),
        "organization": tk._("Organisations"),
        "provinces": tk._("Provinces"),
        "res_format": tk._("Formats"),
        "marc21_260c": tk._("Year"),
    }
    return {name: titles[name] for name in LIBRARY_FACETS}


def _choice_labels() -> dict[str, dict[str, Any]]:
    """Facet field → {value: label} for the schema's choice fields; the
    ``groups`` facet gets the themes' labels."""
    labels: dict[str, dict[str, Any]] = {}
    if p.plugin_loaded("scheming_datasets"):
        schema = scheming_get_dataset_schema(DATASET_TYPE) or {}
        for field in schema.get("dataset_fields", []):
            choices = scheming_field_choices(field)
            if choices:
                labels[field["field_name"]] = {c["value"]: c["label"] for c in choices}
    labels["groups"] = {c["value"]: c["label"] for c in learning_theme_choices()}
    return labels


def relabel(search_results: dict[str, Any]) -> dict[str, Any]:
    """after_dataset_search: choice values and theme names → labels."""
    facets = search_results.get("search_facets") or {}
    if not facets:
        return search_results
    lang = ui_language()
    labels = _choice_labels()
    for item in (facets.get("organization") or {}).get("items", []):
        # an organisation by its name in the page's language
        item["display_name"] = learning_organization_title(item["name"]) or \
            item.get("display_name")
    for field, facet in facets.items():
        names = labels.get(field)
        if not names:
            continue
        for item in facet.get("items", []):
            if item["name"] in names:
                item["display_name"] = scheming_language_text(names[item["name"]],
                                                               prefer_lang=lang)
    return search_results
