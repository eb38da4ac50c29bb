"""PDF.js (``pdfjs-dist`` from npm, pinned in ``package.json`` beside this
file) as installed by ``bin/ensure-media`` into ``node_modules/``, and the
route that serves it.  The version is part of each address, so the files
are cached for a year and a new pin is a new address."""
from __future__ import annotations

import json
import mimetypes
from functools import lru_cache
from pathlib import Path

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, abort, request, send_from_directory

__all__ = ["blueprint", "installed_version", "base_url"]

HERE = Path(__file__).parent
PACKAGE = HERE / "node_modules" / "pdfjs-dist"
#: What a browser needs of the package: the library and its worker (the
#: legacy build, which also runs on the older phones many readers have), the
#: character maps and standard fonts of PDFs that do not embed theirs, the
#: image decoders (WebAssembly, with their JavaScript fallbacks).
SERVED = ("legacy", "cmaps", "standard_fonts", "wasm", "iccs")
YEAR = 365 * 24 * 3600

blueprint = Blueprint("learning_pdfjs", __name__)

# module workers and the decoders' WebAssembly must be served with these types
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/wasm", ".wasm")


def pinned_version() -> str:
    """The version ``package.json`` pins."""
    manifest = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
    return manifest["dependencies"]["pdfjs-dist"]


@lru_cache(maxsize=1)
def installed_version() -> str | None:
    """The version in ``node_modules``, or None when ``bin/ensure-media``
    has not run (the previews then say so and offer the download)."""
    try:
        manifest = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("version")


def base_url() -> str | None:
    """Where the browser finds PDF.js: ``/learning/pdfjs/<version>/``."""
    version = installed_version()
    if version is None:
        return None
    # one address in every language (url_for would add /km/), so one copy cached
    return tk.h.url_for_static(f"/learning/pdfjs/{version}/")


@blueprint.route("/learning/pdfjs/<version>/<path:path>")
def file(version: str, path: str) -> Response:
    """One file of the installed PDF.js, from the folders browsers need."""
    if version != installed_version() or path.split("/", 1)[0] not in SERVED:
        abort(404)
    response = send_from_directory(PACKAGE, path, max_age=YEAR)
    response.cache_control.immutable = True
    # core sets every response's max-age to ``ckan.cache_expires`` unless
    # the request is marked uncacheable; then it only adds ``private``
    request.environ["__no_cache__"] = True
    return response
