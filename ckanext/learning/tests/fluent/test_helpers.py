"""Template helpers: languages, language names and the display fallback."""
from __future__ import annotations

import json

import flask
import pytest

from ckanext.learning.fluent.helpers import (
    fluent_form_languages,
    fluent_language_name,
    fluent_required_languages,
    fluent_text_for_display,
)

FOREST = {"en": "Forest", "km": "ព្រៃឈើ"}


class TestTextForDisplay:
    def test_requested_language(self):
        assert fluent_text_for_display(FOREST, "km") == ("ព្រៃឈើ", "km", False)
        assert fluent_text_for_display(FOREST, "en") == ("Forest", "en", False)

    @pytest.mark.parametrize("value", [{"en": "Forest"}, {"en": "Forest", "km": " "}])
    def test_falls_back_to_the_other_language(self, value):
        assert fluent_text_for_display(value, "km") == ("Forest", "en", True)

    def test_falls_back_beyond_the_default_language(self):
        assert fluent_text_for_display({"km": "ព្រៃឈើ"}, "en") == ("ព្រៃឈើ", "km", True)

    def test_stored_json_and_tag_lists(self):
        stored = json.dumps({"en": ["forest"], "km": []}, ensure_ascii=False)
        assert fluent_text_for_display(stored, "km") == (["forest"], "en", True)

    @pytest.mark.parametrize("value", [None, "", {}, {"km": ""}])
    def test_nothing_to_show(self, value):
        assert fluent_text_for_display(value, "km") == ("", None, False)

    def test_ui_language_of_the_request(self):
        with flask.Flask(__name__).test_request_context(
                environ_overrides={"CKAN_LANG": "km"}):
            assert fluent_text_for_display(FOREST) == ("ព្រៃឈើ", "km", False)

    def test_default_language_outside_a_request(self):
        assert fluent_text_for_display(FOREST) == ("Forest", "en", False)


def test_language_names():
    assert fluent_language_name("km") == "ខ្មែរ"
    assert fluent_language_name("en") == "English"
    assert fluent_language_name("km", "en") == "Khmer"
    assert fluent_language_name("fr") == "français"
    assert fluent_language_name("not a language") == "not a language"


class TestFormLanguages:
    def test_field_then_schema(self):
        assert fluent_form_languages({"form_languages": ["km"]},
                                     {"form_languages": ["en"]}) == ["km"]
        assert fluent_form_languages({}, {"form_languages": ["en"]}) == ["en"]

    @pytest.mark.ckan_config("ckan.locales_offered", "km en_GB en")
    def test_offered_locales(self):
        assert fluent_form_languages() == ["km", "en"]

    @pytest.mark.ckan_config("ckan.locales_offered", "")
    def test_default_locale_when_none_offered(self):
        assert fluent_form_languages() == ["en"]

    def test_required_languages(self):
        langs = {"form_languages": ["km", "en"]}
        assert fluent_required_languages(dict(langs, required=True)) == ["km", "en"]
        only_en = dict(langs, required_languages=["en"])
        assert fluent_required_languages(only_en) == ["en"]
        assert fluent_required_languages(dict(langs, fluent_required="any")) == []
