"""Data written by upstream ckanext-fluent reads back and saves again
unchanged in meaning.  Upstream stores ``json.dumps(value)`` (Khmer escaped
as \\uXXXX); its README's examples are used as they are documented."""
from __future__ import annotations

import json

from .harness import check, field, show

FOREST = {"en": "Forest", "km": "ព្រៃឈើ"}


def round_trip(fld, stored):
    """stored -> package_show -> package_update -> stored -> package_show"""
    shown = show(fld, {fld["field_name"]: stored})[fld["field_name"]]
    data, errors = check(fld, {fld["field_name"]: shown})
    assert errors == {}
    return shown, data[fld["field_name"]]


def test_upstream_text_round_trip():
    upstream = json.dumps(FOREST)
    assert "\\u1796" in upstream  # as upstream stores Khmer
    shown, stored = round_trip(field("fluent_text"), upstream)
    assert shown == FOREST
    assert json.loads(stored) == json.loads(upstream)
    assert stored == json.dumps(FOREST, ensure_ascii=False)


def test_upstream_tags_round_trip():
    upstream = json.dumps({"en": ["forest"], "km": ["ព្រៃឈើ"]})
    shown, stored = round_trip(field("fluent_tags"), upstream)
    assert shown == {"en": ["forest"], "km": ["ព្រៃឈើ"]}
    assert json.loads(stored) == json.loads(upstream)


def test_readme_examples():
    books = field("fluent_text", form_languages=["en", "fr"])
    assert round_trip(books, '{"en": "Franklin", "fr": "Benjamin"}')[0] == {
        "en": "Franklin", "fr": "Benjamin"}
    keywords = field("fluent_tags", "keywords", form_languages=["en", "fr"])
    assert round_trip(keywords, '{"en": ["what"], "fr": ["quoi"]}')[0] == {
        "en": ["what"], "fr": ["quoi"]}


def test_upstream_form_field_names():
    """Upstream's form posts ``<field>-<lang>``; ours reads the same names."""
    data, errors = check(field("fluent_text", form_languages=["en", "fr"]),
                         {"books-en": "Franklin", "books-fr": "Benjamin"})
    assert errors == {}
    assert json.loads(data["books"]) == {"en": "Franklin", "fr": "Benjamin"}


def test_upstream_core_translated_storage():
    fld = field("fluent_core_translated", "title_translated")
    out = show(fld, {"title": "", "title_translated": json.dumps(FOREST)})
    assert out == {"title": "Forest", "title_translated": FOREST}
