"""Compressed pages and assets, whatever serves the app (issue 13: the home
page's first load was 2 MB).

CKAN's webassets are minified (rjsmin) but sent as they are: gunicorn
(``bin/serve``, ``make run``) and the development server compress nothing,
only docker/'s nginx does.  Flask-Compress does it in the app: brotli for
browsers that take it, gzip otherwise, on the types listed in
:data:`MIMETYPES` only, which uploads never have (``upload.allowed_kinds``
refuses HTML and SVG), so resource downloads pass through untouched, and
neither are the streamed exports (CSV, JSON).  Files (webassets, ``/base/``)
are sent as streams: they are compressed as they stream.

:data:`blueprint` has no routes: registered first of the plugin's
blueprints, its ``after_request`` runs after the plugin's others (Flask runs
them last-registered first), on the finished body.
"""
from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState
from flask_compress import Compress

from ckanext.learning import config

__all__ = ["MIMETYPES", "blueprint"]

#: What the portal generates or ships: pages, styles, scripts, SVG icons.
MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
             "image/svg+xml"]

blueprint = Blueprint("learning_compression", __name__)


@blueprint.record_once
def _on_register(state: BlueprintSetupState) -> None:
    if not config.web_compress():
        return
    app = state.app
    app.config.update({
        "COMPRESS_MIMETYPES": MIMETYPES,
        # brotli at 5 is smaller than gzip at 6 and as quick; zstd, which
        # Chromium offers first, is no smaller than gzip here
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],  # no streaming gzip
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_LEVEL": 6,
        "COMPRESS_STREAMS": True,
        # a compressed file's ETag gains ":br": answer If-None-Match with
        # that one, else every revalidation would send the whole file again
        "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "webassets.index"],
    })
    Compress(app)
