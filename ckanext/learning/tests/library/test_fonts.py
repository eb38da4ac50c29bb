"""The Khmer web font (library/fonts.py, the ``khmer_font`` view): Khmer
glyphs only, shaped as the full font shapes them, cached by browsers and
revalidated by its validators, made once per installation."""
from __future__ import annotations

import io
import os

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from ckanext.learning.library import fonts
from ckanext.learning.library.views import FONT_MAX_AGE

URL = "/learning/fonts/noto-sans-khmer.woff2"
#: consonant clusters with subscripts (coeng), vowels above and below, a
#: dependent vowel written before its consonant
SAMPLE = "ស្រ្តី ព្រៃឈើ សហគមន៍ កម្ពុជា ក្សេត្រ"


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """No font made yet in this process; the storage is a new folder."""
    monkeypatch.setattr(fonts, "_font", None)
    return tmp_path


def _shape(data: bytes, text: str) -> list[tuple]:
    """What HarfBuzz draws for ``text`` with the font: each glyph's cluster,
    position and extents (glyph ids and names change in a subset)."""
    font = TTFont(io.BytesIO(data))
    flat = io.BytesIO()
    font.flavor = None
    font.save(flat)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    shaper = hb.Font(hb.Face(flat.getvalue()))
    hb.shape(shaper, buf)
    return [(info.cluster, pos.x_advance, pos.x_offset, pos.y_offset,
             tuple(shaper.get_glyph_extents(info.codepoint)))
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions)]


@pytest.mark.ckan_config("ckan.storage_path", None)
def test_khmer_glyphs_only_as_woff2(fresh):
    font = fonts.khmer_web_font()
    assert font.data[:4] == b"wOF2"
    assert len(font.data) < 60_000  # the TTF is 360 KB
    parsed = TTFont(io.BytesIO(font.data))
    cmap = parsed.getBestCmap()
    assert all(code in cmap for code in range(0x1780, 0x17B4))  # every consonant and vowel
    assert ord("A") not in cmap and ord("a") not in cmap  # Latin is the theme's font
    assert [axis.axisTag for axis in parsed["fvar"].axes] == ["wght"]


@pytest.mark.ckan_config("ckan.storage_path", None)
def test_shaped_as_the_full_font_shapes_khmer(fresh):
    ttf, _ = fonts._source()
    full = TTFont(io.BytesIO(ttf))
    from fontTools.varLib import instancer
    full = instancer.instantiateVariableFont(full, {"wdth": 100})
    out = io.BytesIO()
    full.save(out)
    web = fonts.khmer_web_font().data
    for word in SAMPLE.split():  # spaces are the theme font's (unicode-range)
        assert _shape(web, word) == _shape(out.getvalue(), word), word


def test_made_once_and_kept_in_the_storage(fresh, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(fresh))
    made = fonts.khmer_web_font()
    [kept] = os.listdir(fresh / "learning" / "fonts")
    assert (fresh / "learning" / "fonts" / kept).read_bytes() == made.data
    # another worker (or a restart) reads it instead of making it again
    monkeypatch.setattr(fonts, "_font", None)
    monkeypatch.setattr(fonts, "build", lambda ttf: pytest.fail("made again"))
    assert fonts.khmer_web_font() == made


@pytest.mark.usefixtures("with_plugins")
def test_served_cacheable_with_validators(app):
    got = app.get(URL)
    assert got.headers["Content-Type"] == "font/woff2"
    assert got.bytes == fonts.khmer_web_font().data
    cache = got.headers["Cache-Control"]
    assert f"max-age={FONT_MAX_AGE}" in cache
    assert "must-revalidate" not in cache and "no-cache" not in cache
    assert FONT_MAX_AGE >= 7 * 24 * 3600
    etag, modified = got.headers["ETag"], got.headers["Last-Modified"]
    for validator in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        again = app.get(URL, headers=validator)
        assert again.status_code == 304, validator
        assert again.bytes == b""
