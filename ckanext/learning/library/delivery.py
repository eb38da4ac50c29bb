"""How pages and assets travel to the browser (issue 13: the home page's
first load was 2 MB, and every page asked again for every asset).

* **Compressed**, whatever serves the app: CKAN's webassets are minified
  (rjsmin) but sent as they are, and gunicorn (``bin/serve``, ``make run``)
  and the development server compress nothing; only docker/'s nginx did.
  Flask-Compress does it in the app: brotli for browsers that take it, gzip
  (deflate for files) otherwise, on :data:`MIMETYPES` only, which uploads
  never have (``upload.allowed_kinds`` refuses HTML and SVG), so resource
  downloads pass through untouched, and so do the streamed exports (CSV,
  JSON).  Files (webassets, ``/base/``) are compressed as they stream.
* **Webassets cached for good**: their names carry a hash of their content
  (``ckan.webassets.url``/``<hash>_main.css``), so a browser may keep them a
  year without asking; the public files (``/base/``, ``/learning/``: icons,
  pictures, fonts) a day, as docker/'s nginx gives them.  Core gives every
  response ``ckan.cache_expires`` (0: ask again each time) unless it is
  marked ``__no_cache__``, which then keeps ours (core adds ``private``: the
  browser's cache is the one meant).

:data:`blueprint` has no routes: registered first of the plugin's
blueprints, its ``after_request`` runs after the plugin's others (Flask runs
them last-registered first), on the finished body.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request
from flask.blueprints import BlueprintSetupState
from flask_compress import Compress

from ckanext.learning import config

__all__ = ["ASSET_MAX_AGE", "MIMETYPES", "STATIC_MAX_AGE", "blueprint"]

#: What the portal generates or ships: pages, styles, scripts, SVG icons.
MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
             "image/svg+xml"]

#: Core's route of the webassets bundles, and of the public directories.
WEBASSETS_ENDPOINT = "webassets.index"
STATIC_ENDPOINT = "static"
ASSET_MAX_AGE = 365 * 24 * 3600
STATIC_MAX_AGE = 24 * 3600

blueprint = Blueprint("learning_delivery", __name__)


def _versioned_assets() -> bool:
    """Bundles have versioned names unless webassets runs in debug mode."""
    return not tk.config.get("ckan.webassets.debug")


def _max_age() -> tuple[int, bool] | None:
    """How long this request's answer may be kept, and whether for good."""
    if request.endpoint == WEBASSETS_ENDPOINT and _versioned_assets():
        return ASSET_MAX_AGE, True
    if request.endpoint == STATIC_ENDPOINT:
        return STATIC_MAX_AGE, False
    return None


@blueprint.before_app_request
def _mark_asset() -> None:
    if _max_age():
        request.environ["__no_cache__"] = True


def _cache_asset(response: Response) -> Response:
    kept = _max_age()
    if kept and response.status_code in (200, 304):
        response.cache_control.no_cache = None  # send_file's default
        response.cache_control.max_age, response.cache_control.immutable = kept
    return response


@blueprint.record_once
def _on_register(state: BlueprintSetupState) -> None:
    app = state.app
    if config.web_compress():
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
            "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", WEBASSETS_ENDPOINT],
        })
        Compress(app)
    app.after_request(_cache_asset)
