"""Template helpers of the record's media and citation (toolkit.blanket)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.learning.fluent import languages
from ckanext.learning.media import citation
from ckanext.learning.media.plugin import on_portal

__all__ = ["learning_media_preview", "learning_media_on_portal", "learning_citation"]

#: The views a record's page shows above its list of files, best first.
PREVIEWED = ("learning_pdf_view", "video_view", "audio_view", "learning_video_link_view")


def learning_media_on_portal(resource: dict[str, Any]) -> bool:
    """Whether a file is on the portal (its page may load it)."""
    return on_portal(resource)


def learning_media_preview(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The first file of a record that has a preview, with that view: what
    the record's page shows under its description (a file in the page's
    language first: the English edition on an English page)."""
    lang = languages.ui_language()
    resources = sorted(pkg.get("resources") or [],
                       key=lambda r: r.get("language") not in (lang, "both"))
    for resource in resources:
        try:
            views = tk.get_action("resource_view_list")({}, {"id": resource["id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        for view in sorted((v for v in views if v["view_type"] in PREVIEWED),
                           key=lambda v: PREVIEWED.index(v["view_type"])):
            if view["view_type"] in ("video_view", "audio_view") and not on_portal(resource):
                continue
            return {"resource": resource, "view": view}
    return None


def learning_citation(pkg: dict[str, Any]) -> dict[str, Any]:
    """The record's citation in each format, in the page's language, and
    the plain text in parts marked with their language (the other
    language's title) or as not to translate (the address)."""
    found: dict[str, Any] = {}
    for fmt in ("text", "bibtex", "ris"):
        found[fmt] = tk.get_action("learning_citation_show")(
            {}, {"id": pkg["id"], "format": fmt})["citation"]
    lang = languages.ui_language()
    cited = citation.citation_of(tk.get_action("package_show")({}, {"id": pkg["id"]}), lang)
    marks = [(f"[{cited.other_title}]", {"lang": "en" if lang == "km" else "km"}),
             (cited.url, {"translate": "no"})]
    parts: list[dict[str, Any]] = [{"text": found["text"], "attrs": {}}]
    for needle, attrs in marks:
        if not needle or needle == "[]":
            continue
        split: list[dict[str, Any]] = []
        for part in parts:
            if part["attrs"] or needle not in part["text"]:
                split.append(part)
                continue
            before, _sep, after = part["text"].partition(needle)
            split += [{"text": before, "attrs": {}}, {"text": needle, "attrs": attrs},
                      {"text": after, "attrs": {}}]
        parts = split
    found["parts"] = [p for p in parts if p["text"]]
    return found
