"""The Khmer web font, made light enough for a phone on a slow line.

Noto Sans Khmer comes from its Python package as one variable TrueType file
(360 KB: Latin and Khmer glyphs, weight and width axes).  Pages use it only
for Khmer text (the ``unicode-range`` of ``assets/css/learning.css``) at
the normal width, so the browser gets the Khmer glyphs alone, the width axis
pinned, as WOFF2: about 45 KB.  fontTools makes it once, on the first
request, and keeps it beside the uploads (``ckan.storage_path``) so that
every worker and every restart reuses it; without a storage path it is kept
in memory only.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata, resources

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

PACKAGE = "fontpkg_noto_sans_khmer"
SOURCE = ("files", "NotoSansKhmer[wdth,wght].ttf")

#: What the CSS ``unicode-range`` hands to the font: Khmer, Khmer symbols,
#: zero-width space and joiners, the dotted circle of a lone mark.
KHMER_CODEPOINTS = (*range(0x1780, 0x1800), *range(0x19E0, 0x1A00),
                    0x200B, 0x200C, 0x200D, 0x25CC)

#: Changed whenever :func:`build` makes a different font.
RECIPE = "1"


@dataclass(frozen=True)
class WebFont:
    data: bytes
    etag: str
    last_modified: datetime


_lock = threading.Lock()
_font: WebFont | None = None


def _source() -> tuple[bytes, datetime]:
    source = resources.files(PACKAGE).joinpath(*SOURCE)
    data = source.read_bytes()
    modified = datetime.fromtimestamp(os.stat(str(source)).st_mtime, UTC)
    return data, modified.replace(microsecond=0)


def build(ttf: bytes) -> bytes:
    """The Khmer subset of ``ttf`` (all its shaping features), width pinned
    to normal, weight still variable, as WOFF2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(ttf))
    options = subset.Options()
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=KHMER_CODEPOINTS)
    subsetter.subset(font)
    if "fvar" in font and any(axis.axisTag == "wdth" for axis in font["fvar"].axes):
        font = instancer.instantiateVariableFont(font, {"wdth": 100})
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cache_path(version: str) -> str | None:
    storage = tk.config.get("ckan.storage_path")
    if not storage:
        return None
    return os.path.join(storage, "learning", "fonts",
                        f"noto-sans-khmer-{version}-{RECIPE}.woff2")


def _write_atomically(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def khmer_web_font() -> WebFont:
    """The font as served, made at most once per installation."""
    global _font
    with _lock:
        if _font is not None:
            return _font
        ttf, modified = _source()
        version = metadata.version("fontpkg-noto-sans-khmer")
        path = _cache_path(version)
        data = None
        if path and os.path.exists(path):
            with open(path, "rb") as cached:
                data = cached.read()
        if not data:
            log.info("making the Khmer web font from %s", "/".join(SOURCE))
            data = build(ttf)
            if path:
                try:
                    _write_atomically(path, data)
                except OSError as error:  # served all the same, made again next time
                    log.warning("could not keep the Khmer web font at %s: %s", path, error)
        _font = WebFont(data, hashlib.sha256(data).hexdigest()[:32], modified)
        return _font
