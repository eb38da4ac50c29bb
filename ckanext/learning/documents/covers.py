"""Covers: the first page of a PDF as a small PNG, kept in CKAN's storage.

Rendered with pypdfium2 (the library that reads the text, see
:mod:`.extract`) and stored as ``<ckan.storage_path>/covers/<resource id>.png``.
"""
from __future__ import annotations

import os
import tempfile

import ckan.plugins.toolkit as tk

__all__ = ["COVER_WIDTH", "COVER_DIR", "cover_path", "render_cover", "remove_cover"]

#: Width of a cover in pixels; its height follows the page (at most twice
#: the width: a strip-shaped page is drawn smaller, never huge).
COVER_WIDTH = 300
#: Folder of the covers below ``ckan.storage_path``.
COVER_DIR = "covers"


def _storage() -> str:
    storage = tk.config.get("ckan.storage_path")
    if not storage:
        raise RuntimeError("covers need ckan.storage_path")
    return storage


def cover_path(relative: str) -> str:
    """Absolute path of a cover stored as ``relative``."""
    return os.path.join(_storage(), relative)


def render_cover(pdf_path: str, resource_id: str) -> str | None:
    """Render the first page of the PDF; returns the cover's path relative
    to the storage (for :func:`cover_path`), ``None`` for a PDF without pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        width, height = page.get_size()
        # a strip-shaped page must not make a huge image
        scale = min(COVER_WIDTH / max(width, 1), COVER_WIDTH * 2 / max(height, 1))
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        pdf.close()
    relative = os.path.join(COVER_DIR, f"{resource_id}.png")
    target = cover_path(relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".png")
    try:
        with os.fdopen(fd, "wb") as out:
            image.convert("RGB").save(out, "PNG", optimize=True)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
    return relative


def remove_cover(relative: str | None) -> None:
    if relative:
        try:
            os.unlink(cover_path(relative))
        except FileNotFoundError:
            pass
