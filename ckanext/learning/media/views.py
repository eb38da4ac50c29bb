"""The citation files: ``/learning/cite/<id>.bib``, ``.ris`` and ``.txt``,
in the page's language (``/km/learning/cite/...`` for Khmer titles first)."""
from __future__ import annotations

from urllib.parse import quote

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

__all__ = ["blueprint"]

blueprint = Blueprint("learning_cite", __name__)

EXTENSIONS = {"bib": "bibtex", "ris": "ris", "txt": "text"}


@blueprint.route("/learning/cite/<id>.<extension>")
def cite(id: str, extension: str) -> Response:
    """One record's citation as a file to save or import."""
    fmt = EXTENSIONS.get(extension)
    if fmt is None:
        return tk.abort(404, tk._("Citations are .bib, .ris or .txt files."))
    try:
        found = tk.get_action("learning_citation_show")({}, {"id": id, "format": fmt})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    from ckanext.learning.media.citation import FORMATS

    response = Response(found["citation"], content_type=f"{FORMATS[fmt][1]}; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(found['filename'])}")
    return response
