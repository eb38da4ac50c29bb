"""Type icons: what a resource without a cover shows, drawn once per label.

A page with a folded corner and the file type (``PDF``, ``DOCX`` ...) on it,
the size of a cover, made with Pillow (no image files to keep).
"""
from __future__ import annotations

import functools
import io

from ckanext.learning.documents.covers import COVER_WIDTH

__all__ = ["type_icon", "icon_label"]

_COLOURS = {"PDF": "#c0392b", "DOCX": "#2b579a", "DOC": "#2b579a", "ODT": "#2b579a",
            "PPTX": "#d24726", "PPT": "#d24726", "ODP": "#d24726",
            "XLSX": "#217346", "XLS": "#217346", "ODS": "#217346", "CSV": "#217346"}
_DEFAULT_COLOUR = "#5d6d7e"


def icon_label(resource_format: str | None) -> str:
    """The label drawn on the icon: the format, short and upper-case."""
    label = (resource_format or "").strip().upper().lstrip(".")
    return label[:5] if label.isalnum() else "FILE"


@functools.lru_cache(maxsize=64)
def type_icon(label: str) -> bytes:
    """A PNG icon for files of type ``label`` (see :func:`icon_label`)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = COVER_WIDTH, int(COVER_WIDTH * 1.414)
    fold = width // 5
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 0), (width - fold, 0), (width - 1, fold), (width - 1, height - 1),
                  (0, height - 1)], fill="#f4f6f7", outline="#aab7b8")
    draw.polygon([(width - fold, 0), (width - fold, fold), (width - 1, fold)],
                 fill="#d5dbdb", outline="#aab7b8")
    colour = _COLOURS.get(label, _DEFAULT_COLOUR)
    band = (0, height // 2 - 40, width, height // 2 + 40)
    draw.rectangle(band, fill=colour)
    font = ImageFont.load_default(size=56)
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(((width - (box[2] - box[0])) / 2 - box[0],
               (height - (box[3] - box[1])) / 2 - box[1]), label, fill="#ffffff", font=font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
