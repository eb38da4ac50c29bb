"""Files and documents of the library: the Khmer web font and the sitemap."""
from __future__ import annotations

from xml.sax.saxutils import escape

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.learning.library import fonts, text

library = Blueprint("learning_library", __name__)
# Khmer-aware shortening in every template (core's included): Flask calls
# this once, with the app, when the blueprint is registered.
library.record_once(lambda state: text.install(state.app))

#: Datasets per sitemap page (the sitemap protocol allows 50 000 URLs).
SITEMAP_PAGE = 1000


#: How long browsers keep the font before asking again (with its ETag): the
#: 30 days docker/nginx gives the font too.
FONT_MAX_AGE = 30 * 24 * 3600


@library.route("/learning/fonts/noto-sans-khmer.woff2")
def khmer_font() -> Response:
    """Noto Sans Khmer, made from its Python package (not vendored): the
    Khmer glyphs as WOFF2 (:mod:`.fonts`).  Cached by the browser for
    :data:`FONT_MAX_AGE`, then revalidated by ETag or Last-Modified.  Core's
    ``after_request`` gives every cacheable response ``ckan.cache_expires``
    (0 by default) and ``must-revalidate``; a response marked ``__no_cache__``
    keeps its own max-age (core adds ``private``, which a browser's cache
    honours; docker/nginx sets its own header for shared caches)."""
    font = fonts.khmer_web_font()
    response = Response(font.data, mimetype="font/woff2")
    response.set_etag(font.etag)
    response.last_modified = font.last_modified
    tk.request.environ["__no_cache__"] = True
    response.cache_control.max_age = FONT_MAX_AGE
    return response.make_conditional(tk.request)


@library.route("/sitemap.xml")
def sitemap() -> Response:
    """What search engines may index: published resources (asked for as an
    anonymous visitor, so nothing unpublished can appear), theme groups and
    organisations.  ``?page=N`` pages through large catalogues."""
    page = max(tk.h.get_page_number(tk.request.args), 1)
    anonymous = {"user": "", "ignore_auth": False}
    found = tk.get_action("package_search")(
        dict(anonymous), {"q": "*:*", "rows": SITEMAP_PAGE,
                          "start": (page - 1) * SITEMAP_PAGE,
                          "sort": "metadata_modified desc",
                          "fl": "name,type,metadata_modified"})
    urls = []
    for pkg in found["results"]:
        urls.append((tk.h.url_for(f"{pkg.get('type') or 'dataset'}.read",
                                  id=pkg["name"], _external=True),
                     (pkg.get("metadata_modified") or "")[:10]))
    if page == 1:
        for kind in ("group", "organization"):
            for name in tk.get_action(f"{kind}_list")(dict(anonymous), {}):
                urls.append((tk.h.url_for(f"{kind}.read", id=name, _external=True), ""))
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in urls:
        body.append(f"<url><loc>{escape(loc)}</loc>"
                    + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    body.append("</urlset>")
    return Response("\n".join(body), mimetype="application/xml")


def get_blueprints() -> list[Blueprint]:
    return [library]
