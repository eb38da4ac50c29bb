"""Search facets of the learning library, labelled in the UI language."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.learning import bootstrap, helpers

DATASET_TYPE = "learning-resource"


def facet_titles() -> dict[str, str]:
    """Facet field → title, in display order."""
    return {
        "groups": tk._("Themes"),
        "resource_type": tk._("Type of resource"),
        "language": tk._("Language"),
        "organization": tk._("Organisations"),
        "provinces": tk._("Provinces"),
        "res_format": tk._("Formats"),
        "marc21_260c": tk._("Year"),
    }


def _lang() -> str:
    try:
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    except RuntimeError:  # outside a request (CLI, background job)
        return tk.config.get("ckan.locale_default")


def _label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or label.get("en") or next(iter(label.values()), "")
    return str(label)


def _choice_labels() -> dict[str, dict[str, Any]]:
    schema: dict[str, Any] = {}
    if p.plugin_loaded("scheming_datasets"):
        from ckanext.scheming.helpers import scheming_get_dataset_schema

        schema = scheming_get_dataset_schema(DATASET_TYPE) or {}
    labels: dict[str, dict[str, Any]] = {}
    for field in schema.get("dataset_fields", []):
        choices = field.get("choices")
        if not choices and field.get("choices_helper"):
            choices = getattr(helpers, field["choices_helper"], lambda f: [])(field)
        if choices:
            labels[field["field_name"]] = {c["value"]: c["label"] for c in choices}
    labels["groups"] = {t["name"]: {"en": t["title"], "km": t["title_km"]}
                        for t in bootstrap.themes()}
    return labels


def relabel(search_results: dict[str, Any]) -> dict[str, Any]:
    """after_dataset_search: choice values and theme names → labels."""
    facets = search_results.get("search_facets") or {}
    if not facets:
        return search_results
    lang = _lang()
    labels = _choice_labels()
    for field, facet in facets.items():
        names = labels.get(field)
        if not names:
            continue
        for item in facet.get("items", []):
            if item["name"] in names:
                item["display_name"] = _label(names[item["name"]], lang)
    return search_results
