"""The library's own words for CKAN's objects: a dataset is a *resource*, a
group a *theme*, an organization an *organisation* (``i18n/glossary.md``).

Core templates name objects through ``h.humanize_entity_type(entity, type,
purpose)``, which for our types would spell the type's machine name
("Create Learning-resource", "Learning-resources") and for core's own types
says "dataset" and "group".  Each purpose gets a whole phrase here, so that
Khmer can word it naturally instead of filling a slot.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.learning.workflow import N_

#: Dataset types that are learning resources (core's default type too: the
#: library has no other kind of dataset, and ``/dataset/`` lists them all).
RESOURCE_TYPES = ("learning-resource", "dataset")

PHRASES: dict[str, dict[str, str]] = {
    "package": {
        "add link": N_("Add a resource"),
        "add association link": N_("Add to a resource"),
        "breadcrumb": N_("Resources"),
        "content tab": N_("Resources"),
        "create label": N_("Add a resource"),
        "create title": N_("Add a resource"),
        "delete confirmation": N_("Are you sure you want to delete this resource?"),
        "description placeholder": N_("What is this resource about, and who is it for?"),
        "edit label": N_("Edit this resource"),
        "facet label": N_("Resources"),
        "form label": N_("Resource form"),
        "main nav": N_("Resources"),
        "my label": N_("My resources"),
        "view label": N_("View resource"),
        "name placeholder": N_("My resource"),
        "no any objects": N_("There are no resources on this site yet."),
        "no associated label": N_("There are no resources here."),
        "no description": N_("There is no description for this resource."),
        "no label": N_("No resource"),
        "page title": N_("Resources"),
        "save label": N_("Save resource"),
        "search placeholder": N_("Search resources..."),
        "you not member": N_("You have no resources yet."),
        "user not member": N_("This user has no resources."),
        "update label": N_("Update resource"),
        "": N_("Resource"),
    },
    "group": {
        "add link": N_("Add a theme"),
        "add association link": N_("Add to a theme"),
        "breadcrumb": N_("Themes"),
        "content tab": N_("Themes"),
        "create label": N_("Add a theme"),
        "create title": N_("Add a theme"),
        "delete confirmation": N_("Are you sure you want to delete this theme?"),
        "description placeholder": N_("What does this theme cover?"),
        "edit label": N_("Edit theme"),
        "facet label": N_("Themes"),
        "form label": N_("Theme form"),
        "main nav": N_("Themes"),
        "my label": N_("My themes"),
        "view label": N_("View theme"),
        "name placeholder": N_("My theme"),
        "no any objects": N_("There are no themes on this site yet."),
        "no associated label": N_("This resource is not in any theme yet."),
        "no description": N_("There is no description for this theme."),
        "no label": N_("No theme"),
        "page title": N_("Themes"),
        "save label": N_("Save theme"),
        "search placeholder": N_("Search themes..."),
        "you not member": N_("You are not a member of any theme."),
        "user not member": N_("This user is not a member of any theme."),
        "update label": N_("Update theme"),
        "": N_("Theme"),
    },
    "organization": {
        "add link": N_("Add an organisation"),
        "add association link": N_("Add to an organisation"),
        "breadcrumb": N_("Organisations"),
        "content tab": N_("Organisations"),
        "create label": N_("Add an organisation"),
        "create title": N_("Add an organisation"),
        "delete confirmation": N_("Are you sure you want to delete this organisation?"),
        "description placeholder": N_("What does your organisation do, and where?"),
        "edit label": N_("Edit organisation"),
        "facet label": N_("Organisations"),
        "form label": N_("Organisation form"),
        "main nav": N_("Organisations"),
        "my label": N_("My organisations"),
        "view label": N_("View organisation"),
        "name placeholder": N_("My organisation"),
        "no any objects": N_("There are no organisations on this site yet."),
        "no associated label": N_("This resource belongs to no organisation."),
        "no description": N_("There is no description for this organisation."),
        "no label": N_("No organisation"),
        "page title": N_("Organisations"),
        "save label": N_("Save organisation"),
        "search placeholder": N_("Search organisations..."),
        "you not member": N_("You are not a member of any organisation yet."),
        "user not member": N_("This user is not a member of any organisation."),
        "update label": N_("Update organisation"),
        "": N_("Organisation"),
    },
}

#: Object types of each entity that take the library's words.
OURS = {"package": RESOURCE_TYPES, "group": ("group",), "organization": ("organization",)}


def phrase(entity_type: str, object_type: str, purpose: str) -> str | None:
    """The library's phrase for a purpose, in the UI language; None for
    objects that are not ours (activities, other extensions' types)."""
    if object_type not in OURS.get(entity_type, ()):
        return None
    phrases = PHRASES[entity_type]
    purpose = purpose.replace("_", " ")  # core's header asks for "search_placeholder"
    return tk._(phrases.get(purpose) or phrases[""])


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str,
                         purpose: str) -> str | None:
    """Core's helper, speaking of resources, themes and organisations."""
    return phrase(entity_type, object_type, purpose) or next_helper(
        entity_type, object_type, purpose)
