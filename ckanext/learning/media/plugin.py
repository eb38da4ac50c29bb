"""Two resource views (CKAN's ``IResourceView``), created by default through
``ckan.views.default_views`` beside core's ``video_view`` and
``audio_view``.  Both render in the page itself (``iframed: False``): the
portal refuses to be framed, its own pages included."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import datapreview

from ckanext.learning.media import pdfjs, videos
from ckanext.learning.workflow import N_

PDF_FORMATS = {"pdf"}
PDF_MIMETYPES = {"application/pdf", "application/x-pdf"}


def is_pdf(resource: dict[str, Any]) -> bool:
    return ((resource.get("format") or "").lower() in PDF_FORMATS
            or (resource.get("mimetype") or "").lower() in PDF_MIMETYPES)


def on_portal(resource: dict[str, Any]) -> bool:
    """An upload, or a link to a file on this portal: what the page may
    fetch (its ``connect-src`` is the portal alone)."""
    url = resource.get("url") or ""
    return bool(url) and (resource.get("url_type") == "upload" or url.startswith("/")
                          or datapreview.on_same_domain({"resource": resource}))


def site_path(url: str) -> str:
    """A portal address without its scheme and host, so that the browser
    fetches it from the host that served the page (``ckan.site_url`` may
    name another: a proxy, a test server)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    return urlunsplit(("", "", parts.path, parts.query, ""))


class _ViewPlugin(p.SingletonPlugin):
    """A view stored with its title in English (``default_title``), shown
    in the page's language (``package/snippets/resource_views_list.html``)."""

    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IResourceView, inherit=True)

    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "ckanext-learning-media")


class PdfViewPlugin(_ViewPlugin):
    """``learning_pdf_view``: uploaded PDFs (and PDFs linked on the portal)
    previewed by PDF.js, served by the portal (``pdfjs.py``)."""
    p.implements(p.IBlueprint)

    def info(self) -> dict[str, Any]:
        return {"name": "learning_pdf_view", "title": tk._("Preview"),
                "default_title": N_("Preview"), "icon": "file-pdf",
                "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        resource = data_dict["resource"]
        return is_pdf(resource) and on_portal(resource)

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict:
        return {"pdfjs_base": pdfjs.base_url(),
                "pdf_url": site_path(data_dict["resource"].get("url") or "")}

    def view_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "learning/views/pdf.html"

    def form_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "learning/views/no_options.html"

    def get_blueprint(self) -> Any:
        return pdfjs.blueprint


class VideoLinkViewPlugin(_ViewPlugin):
    """``learning_video_link_view``: a link to a YouTube or Vimeo video, as a
    placeholder that loads the site's player when the visitor clicks."""

    def info(self) -> dict[str, Any]:
        return {"name": "learning_video_link_view", "title": tk._("Video"),
                "default_title": N_("Video"), "icon": "file-video",
                "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return videos.video_link(data_dict["resource"].get("url")) is not None

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict:
        link = videos.video_link(data_dict["resource"].get("url"))
        if link is not None:
            from ckanext.learning.security import headers

            headers.allow_frame_source(f"https://{link.player_host}")
        return {"video_link": link}

    def view_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "learning/views/video_link.html"

    def form_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "learning/views/no_options.html"
