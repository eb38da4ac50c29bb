"""fluent_text / fluent_tags / output validators: every input form, the
storage format, each error, drafts and the required-language rules."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.navl.dictization_functions import validate
from ckan.lib.navl.validators import ignore

from ckanext.learning.fluent import validators
from ckanext.learning.fluent.plugin import LearningFluentPlugin
from ckanext.scheming.validation import validators_from_string

from .harness import check, field, show

FOREST = {"en": "Forest", "km": "ព្រៃឈើ"}
STORED = json.dumps(FOREST, ensure_ascii=False)


class TestInputForms:
    def test_dict_is_stored_as_unescaped_json(self):
        data, errors = check(field("fluent_text"), {"books": dict(FOREST)})
        assert errors == {}
        assert data["books"] == STORED
        assert data["books"] == '{"en": "Forest", "km": "ព្រៃឈើ"}'

    def test_json_string(self):
        data, errors = check(field("fluent_text"), {"books": json.dumps(FOREST)})
        assert errors == {}
        assert data["books"] == STORED

    def test_one_form_field_per_language(self):
        data, errors = check(field("fluent_text"),
                             {"books-en": "Forest", "books-km": "ព្រៃឈើ"})
        assert errors == {}
        assert json.loads(data["books"]) == FOREST
        assert "books-en" not in data and "__junk" not in data

    def test_form_fields_found_in_junk(self):
        validate = validators.fluent_text(field("fluent_text"), {})
        data = {("books",): tk.missing,
                ("__junk",): {("books-km",): "ព្រៃឈើ", ("other",): "x"}}
        errors = {("books",): []}
        validate(("books",), data, errors, {})
        assert data[("books",)] == '{"km": "ព្រៃឈើ"}'
        assert data[("__junk",)] == {("other",): "x"}

    def test_nothing_given_is_stored_as_an_empty_object(self):
        """Upstream stores ``{}`` for an empty optional field, so records
        written by either read the same."""
        data, errors = check(field("fluent_text"), {"name": "x"})
        assert errors == {}
        assert data["books"] == "{}"

    def test_empty_language_kept_as_given(self):
        data, errors = check(field("fluent_text"),
                             {"books-en": "Forest", "books-km": ""})
        assert errors == {}
        assert data["books"] == '{"en": "Forest", "km": ""}'


class TestErrors:
    def test_malformed_json(self):
        _, errors = check(field("fluent_text"), {"books": '{"en": "Forest",'})
        assert len(errors["books"]) == 1
        assert "is not valid JSON" in errors["books"][0]

    @pytest.mark.parametrize("value", ['"Forest"', "[1, 2]", 42])
    def test_not_an_object(self, value):
        _, errors = check(field("fluent_text"), {"books": value})
        assert "Expected an object of languages" in errors["books"][0]

    def test_unknown_language_is_named(self):
        _, errors = check(field("fluent_text"),
                          {"books": {"en": "Forest", "fr": "Forêt"}})
        assert errors == {"books": ['Unknown language "fr": expected one of km, en']}

    def test_unknown_language_in_form_field(self):
        _, errors = check(field("fluent_text"),
                          {"books-en": "Forest", "books-fr": "Forêt"})
        assert 'Unknown language "fr"' in errors["books-fr"][0]

    def test_value_must_be_text(self):
        _, errors = check(field("fluent_text"), {"books": {"en": ["Forest"]}})
        assert errors == {"books": ["Expected text, not list"]}

    def test_messages_go_through_gettext(self, monkeypatch):
        monkeypatch.setattr(tk, "_", lambda s: "«" + s + "»")
        _, errors = check(field("fluent_text"), {"books": "{"})
        assert errors["books"][0].startswith("«The value is not valid JSON")


class TestRequiredRules:
    def test_required_means_every_language(self):
        _, errors = check(field("fluent_text", required=True),
                          {"books": {"en": "Forest"}})
        assert errors == {"books": ['Required language "km" missing']}

    def test_required_in_form_marks_the_missing_input(self):
        """The input's key names the language, so the message is core's
        (and upstream's) own for an empty field."""
        _, errors = check(field("fluent_text", required=True),
                          {"books-en": "Forest", "books-km": "  "})
        assert errors == {"books-km": ["Missing value"]}

    def test_required_languages(self):
        fld = field("fluent_text", required_languages=["km"])
        assert check(fld, {"books": {"km": "ព្រៃឈើ"}})[1] == {}
        assert check(fld, {"books": {"en": "Forest"}})[1] == {
            "books": ['Required language "km" missing']}

    def test_any_language(self):
        fld = field("fluent_text", fluent_required="any")
        assert check(fld, {"books": {"en": "Forest"}})[1] == {}
        assert check(fld, {"books-km": "ព្រៃឈើ"})[1] == {}
        _, errors = check(fld, {"books-km": "", "books-en": ""})
        assert errors == {"books": ["Fill in at least one language: km, en"]}
        _, errors = check(fld, {"name": "x"})
        assert "Fill in at least one language" in errors["books"][0]

    def test_draft_may_be_incomplete(self):
        fld = field("fluent_text", required=True)
        data, errors = check(fld, {"state": "draft", "books-en": "Forest"},
                             {"allow_state_change": True})
        assert errors == {}
        assert data["books"] == '{"en": "Forest"}'

    def test_draft_of_a_stored_package(self):
        class Package:
            state = "draft"
        _, errors = check(field("fluent_text", required=True), {"books": {}},
                          {"package": Package()})
        assert errors == {}

    def test_claiming_draft_without_the_right_to_set_state_does_not_help(self):
        # core's ignore_not_package_admin would drop this state: it stays active
        _, errors = check(field("fluent_text", required=True),
                          {"state": "draft", "books": {"en": "Forest"}})
        assert errors == {"books": ['Required language "km" missing']}

    def test_active_dataset_is_checked(self):
        _, errors = check(field("fluent_text", fluent_required="any"),
                          {"state": "active", "books": {}}, {"ignore_auth": True})
        assert errors["books"]


class TestCoreTranslated:
    def test_title_filled_in_default_language(self):
        fld = field("fluent_core_translated", "title_translated")
        data, errors = check(fld, {"title_translated": dict(FOREST)})
        assert errors == {}
        assert data["title"] == "Forest"  # ckan.locale_default = en (test.ini)

    def test_title_falls_back_to_other_language(self):
        fld = field("fluent_core_translated", "notes_translated")
        data, _ = check(fld, {"notes_translated-km": "ព្រៃឈើ",
                              "notes_translated-en": ""})
        assert data["notes"] == "ព្រៃឈើ"

    @pytest.mark.ckan_config("ckan.locale_default", "km")
    def test_default_language_from_config(self):
        data, _ = check(field("fluent_core_translated", "title_translated"),
                        {"title_translated": dict(FOREST), "title": "old"})
        assert data["title"] == "ព្រៃឈើ"

    def test_output_fills_empty_core_field(self):
        fld = field("fluent_core_translated", "title_translated")
        out = show(fld, {"title": "", "title_translated": STORED})
        assert out == {"title": "Forest", "title_translated": FOREST}

    def test_output_keeps_existing_core_field(self):
        fld = field("fluent_core_translated", "title_translated")
        out = show(fld, {"title": "Kept", "title_translated": STORED})
        assert out["title"] == "Kept"

    def test_output_validator_needs_a_translated_field(self):
        with pytest.raises(ValueError, match="_translated"):
            validators.fluent_core_translated_output({"field_name": "books"}, {})


class TestOutput:
    @pytest.mark.parametrize("stored", [STORED, json.dumps(FOREST), FOREST])
    def test_text_output_is_the_object(self, stored):
        assert show(field("fluent_text"), {"books": stored})["books"] == FOREST

    def test_plain_legacy_string_is_default_language(self):
        out = show(field("fluent_text"), {"books": "Forest"})
        assert out["books"] == {"en": "Forest"}

    def test_tags_output(self):
        stored = json.dumps({"km": ["ព្រៃឈើ"]}, ensure_ascii=False)
        out = show(field("fluent_tags"), {"books": stored})
        assert out["books"] == {"km": ["ព្រៃឈើ"]}


class TestTags:
    def test_dict_of_lists(self):
        data, errors = check(field("fluent_tags"),
                             {"books": {"en": ["forest", "climate"], "km": ["ព្រៃឈើ"]}})
        assert errors == {}
        assert data["books"] == '{"en": ["forest", "climate"], "km": ["ព្រៃឈើ"]}'

    def test_comma_separated_form_fields_normalised(self):
        data, errors = check(field("fluent_tags"), {
            "books-en": " forest, climate ,,forest",
            "books-km": "ស\u17d2\u178aីពី",  # coeng DA: stored as coeng TA
        })
        assert errors == {}
        assert json.loads(data["books"]) == {
            "en": ["forest", "climate"], "km": ["ស\u17d2\u178fីពី"]}

    def test_bad_tags_reported_per_language(self):
        _, errors = check(field("fluent_tags"),
                          {"books-en": "ok,<b>", "books-km": "ព្រៃ\u200bឈើ"})
        assert "must not contain <, >, & or quotes" in errors["books-en"][0]
        assert "zero-width" in errors["books-km"][0]

    def test_every_bad_tag_is_reported(self):
        _, errors = check(field("fluent_tags"), {"books": {"en": ["a", "b&c"]}})
        assert len(errors["books"]) == 2

    def test_list_expected(self):
        _, errors = check(field("fluent_tags"), {"books": {"en": 5}})
        assert errors == {"books": ["Expected a list of tags"]}

    def test_required_tags(self):
        _, errors = check(field("fluent_tags", required_languages=["km"]),
                          {"books-en": "forest"})
        assert errors == {"books-km": ["Missing value"]}

    def test_tag_validators_option(self):
        fld = field("fluent_tags",
                    tag_validators="tag_length_validator tag_name_validator")
        _, errors = check(fld, {"books": {"km": ["ព្រៃឈើ"]}})
        assert "can only contain alphanumeric" in errors["books"][0]


class TestDefaultLanguages:
    @pytest.mark.ckan_config("ckan.locales_offered", "km en")
    def test_form_languages_default_to_offered_locales(self):
        fld = field("fluent_text")
        del fld["form_languages"]
        _, errors = check(fld, {"books": {"fr": "Forêt"}})
        assert errors == {"books": ['Unknown language "fr": expected one of km, en']}


class TestPlainOutputValidators:
    """Upstream's output validators take just the value, and code written
    for upstream calls them so; scheming takes them as they are."""

    @pytest.mark.parametrize("name", ["fluent_text_output", "fluent_tags_output"])
    def test_registered_as_plain_one_argument_validators(self, name):
        registered = LearningFluentPlugin().get_validators()[name]
        assert tk.get_validator(name) is registered
        assert not getattr(registered, "is_a_scheming_validator", False)
        assert registered.__code__.co_argcount == 1  # navl passes the value only

    def test_text_output_called_directly(self):
        text_output = tk.get_validator("fluent_text_output")
        assert text_output(STORED) == FOREST
        assert text_output(json.dumps(FOREST)) == FOREST  # upstream's escaping
        assert text_output(FOREST) is FOREST
        assert text_output("Forest") == {"en": "Forest"}

    def test_tags_output_called_directly(self):
        tags_output = tk.get_validator("fluent_tags_output")
        stored = json.dumps({"km": ["ព្រៃឈើ"]}, ensure_ascii=False)
        assert tags_output(stored) == {"km": ["ព្រៃឈើ"]}
        assert tags_output({"km": ["ព្រៃឈើ"]}) == {"km": ["ព្រៃឈើ"]}

    def test_tags_output_passes_objects_through_unchanged(self):
        """As upstream: a language's value is not rewrapped into a list."""
        tags_output = tk.get_validator("fluent_tags_output")
        assert tags_output({"en": "forest"}) == {"en": "forest"}
        assert tags_output('{"en": "forest"}') == {"en": "forest"}

    def test_tags_output_reads_a_legacy_plain_string_as_one_tag(self):
        """Upstream fails on these; we show the string as one tag."""
        assert tk.get_validator("fluent_tags_output")("forest") == {"en": ["forest"]}

    @pytest.mark.parametrize("preset,name", [
        ("fluent_text", "fluent_text_output"),
        ("fluent_markdown", "fluent_text_output"),
        ("fluent_link", "fluent_text_output"),
        ("fluent_tags", "fluent_tags_output"),
    ])
    def test_presets_resolve_to_the_plain_validator(self, preset, name):
        fld = field(preset)
        assert validators_from_string(fld["output_validators"], fld, {}) == [
            getattr(validators, name)]


def run(fld, data, context=None):
    """Call the field's input validator as navl does, on flattened data."""
    validate = validators_from_string(fld["validators"], fld, {})[0]
    errors = {("books",): []}
    validate(("books",), data, errors, context or {})
    return errors


class TestErrorsAreRecordedNotRaised:
    """Upstream records its errors and returns; raising ``StopOnError``
    would break callers that run it (and whatever follows it) themselves."""

    @pytest.mark.parametrize("value,message", [
        ('{"en": ', "is not valid JSON"),
        ("[1]", "Expected an object"),
        ({"fr": "Forêt"}, 'Unknown language "fr"'),
        ({"en": "Forest"}, 'Required language "km" missing'),
    ])
    def test_value_errors(self, value, message):
        data = {("books",): value}
        errors = run(field("fluent_text", required=True), data)
        assert message in errors[("books",)][0]
        assert data == {("books",): value}  # left as given

    def test_form_errors_leave_the_posted_inputs(self):
        data = {("books",): tk.missing, ("__extras",): {"books-en": "Forest"}}
        errors = run(field("fluent_text", required=True), data)
        assert errors == {("books",): [], ("books-km",): ["Missing value"]}
        assert data == {("books",): tk.missing,
                        ("__extras",): {"books-en": "Forest"}}

    def test_accepted_form_inputs_leave_extras(self):
        data = {("books",): tk.missing,
                ("__extras",): {"books-en": "Forest", "other": 1}}
        assert run(field("fluent_text"), data) == {("books",): []}
        assert data == {("books",): '{"en": "Forest"}', ("__extras",): {"other": 1}}

    def test_junk_inputs_are_taken_even_when_rejected(self):
        """Left in ``__junk``, core's ``empty`` would add a second error."""
        data = {("books",): tk.missing, ("__junk",): {("books-fr",): "Forêt"}}
        errors = run(field("fluent_text"), data)
        assert 'Unknown language "fr"' in errors[("books-fr",)][0]
        assert data[("__junk",)] == {}

    def test_tags_errors(self):
        data = {("books",): {"en": ["ok", "<b>"]}}
        errors = run(field("fluent_tags"), data)
        assert "must not contain" in errors[("books",)][0]
        assert data == {("books",): {"en": ["ok", "<b>"]}}

    def test_next_validator_still_runs(self):
        """As with upstream: navl goes on to the next validator (scheming
        appends ``convert_to_extras``), and the error still fails the save."""
        seen = []
        fld = field("fluent_text", required=True)
        schema = {"books": validators_from_string(fld["validators"], fld, {})
                  + [lambda value: seen.append(value) or value],
                  "__extras": [ignore]}
        _, errors = validate({"books": {"en": "Forest"}}, schema, {})
        assert errors == {"books": ['Required language "km" missing']}
        assert seen == [{"en": "Forest"}]


class TestEmptyOptionalField:
    """An optional field left empty is stored as ``{}``, as upstream stores
    it, not left out: records read back and search the same either way."""

    @pytest.mark.parametrize("value", [tk.missing, None, "", "{}", {}])
    def test_empty_value(self, value):
        data = {("books",): value}
        assert run(field("fluent_text"), data) == {("books",): []}
        assert data == {("books",): "{}"}

    def test_empty_tags(self):
        data = {("books",): tk.missing}
        assert run(field("fluent_tags"), data) == {("books",): []}
        assert data == {("books",): "{}"}

    def test_stored_empty_object_shows_as_empty(self):
        assert show(field("fluent_text"), {"books": "{}"})["books"] == {}
        assert show(field("fluent_tags"), {"books": "{}"})["books"] == {}

    def test_required_field_is_still_checked(self):
        errors = run(field("fluent_text", fluent_required="any"),
                     {("books",): tk.missing})
        assert "Fill in at least one language" in errors[("books",)][0]
