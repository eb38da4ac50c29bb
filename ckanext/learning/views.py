"""Pages and files the extension serves."""
from __future__ import annotations

from importlib import resources

from flask import Blueprint, Response

learning = Blueprint("learning", __name__, url_prefix="/learning")


@learning.route("/fonts/noto-sans-khmer.ttf")
def khmer_font() -> Response:
    """Noto Sans Khmer, served from its Python package (not vendored)."""
    font = resources.files("fontpkg_noto_sans_khmer").joinpath(
        "files", "NotoSansKhmer[wdth,wght].ttf").read_bytes()
    response = Response(font, mimetype="font/ttf")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


def get_blueprints() -> list[Blueprint]:
    return [learning]
