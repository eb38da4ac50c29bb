"""``learning_citation_show``: how to cite a record, as plain text, BibTeX
or RIS (what the page's "cite this resource" box and its downloads show)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.learning.fluent import languages
from ckanext.learning.media import citation

__all__ = ["learning_citation_show"]


@tk.side_effect_free
def learning_citation_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """How to cite a record: its author (the record's author, else its
    corporate author, else its organisation), year, title in ``lang`` with
    the other language's title beside it, type, publisher and address.

    :param id: the record's id or name
    :type id: string
    :param format: ``text`` (default), ``bibtex`` or ``ris``
    :type format: string
    :param lang: ``km`` or ``en`` (default: the request's language)
    :type lang: string
    :returns: ``format``, ``filename`` and ``citation`` (the text, UTF-8)
    :rtype: dictionary
    """
    if not data_dict.get("id"):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    tk.check_access("learning_citation_show", context, data_dict)
    errors: dict[str, list[str]] = {}
    fmt = data_dict.get("format") or "text"
    if fmt not in citation.FORMATS:
        errors["format"] = [tk._("Choose one of: {formats}.").format(
            formats=", ".join(citation.FORMATS))]
    lang = data_dict.get("lang") or languages.ui_language()
    if lang not in citation.LANGUAGE_NAMES:
        errors["lang"] = [tk._("Choose one of: {languages}.").format(
            languages=", ".join(citation.LANGUAGE_NAMES))]
    if errors:
        raise tk.ValidationError(errors)
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    cited = citation.citation_of(pkg, lang)
    write = {"text": citation.plain_text, "bibtex": citation.bibtex, "ris": citation.ris}
    extension = citation.FORMATS[fmt][0]
    return {"format": fmt, "filename": f"{pkg['name']}.{extension}",
            "citation": write[fmt](cited)}
