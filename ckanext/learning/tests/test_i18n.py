"""The Khmer UI is complete: our strings and every CKAN string CKAN's own
Khmer catalogue leaves untranslated."""
from __future__ import annotations

import os
import re

import ckan
import polib
import pytest

import ckanext.learning

I18N = os.path.join(os.path.dirname(ckanext.learning.__file__), "i18n")
OURS = os.path.join(I18N, "km", "LC_MESSAGES", "ckanext-learning.po")
CORE = os.path.join(os.path.dirname(ckan.__file__), "i18n")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdir]|%[sdir]|\{[^{}]*\}|</?[a-zA-Z][^>]*>")


def translated(entry: polib.POEntry) -> bool:
    """Translated and not fuzzy: the .mo leaves fuzzy entries out (and
    ``make i18n``'s fuzzy guesses can be another string's Khmer)."""
    if entry.fuzzy:
        return False
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_string_of_ours_has_khmer():
    ours = {e.msgid for e in polib.pofile(OURS) if translated(e)}
    pot = polib.pofile(os.path.join(I18N, "ckanext-learning.pot"))
    missing = [e.msgid for e in pot if e.msgid not in ours]
    assert not missing


def test_every_core_string_has_khmer_in_core_or_ours():
    core_km = {e.msgid for e in polib.pofile(os.path.join(CORE, "km", "LC_MESSAGES",
                                                          "ckan.po"))
               if translated(e) and not e.fuzzy}
    ours = {e.msgid for e in polib.pofile(OURS) if translated(e)}
    core = polib.pofile(os.path.join(CORE, "ckan.pot"))
    missing = [e.msgid for e in core if e.msgid not in core_km | ours]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_placeholders_survive_translation():
    for entry in polib.pofile(OURS):
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(
                PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)) or sorted(
                PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_search_page_in_khmer(app):
    km = app.get("/km/dataset/").body
    assert "ប្រធានបទ" in km          # our facet title, "Themes"
    assert "ស្វែងរក" in km            # core's "Search", untranslated in CKAN's catalogue
    assert 'lang="km"' in km
    assert "Themes" in app.get("/dataset/").body
