"""Khmer-aware tag validation: what is accepted, how it is normalised, and
that each rejection says why."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from ckanext.learning.fluent.tags import (
    learning_tag_name_validator,
    learning_tag_validator,
)

COENG_DA, COENG_TA = "\u17d2\u178a", "\u17d2\u178f"


@pytest.mark.parametrize("tag", [
    "ព្រៃឈើ", "អាកាសធាតុ", "ផ្សេងៗ", "២០២៤", "climate change", "data-set_v1.0",
    "café", "ការអប់រំ education", "ab",
])
def test_accepted_unchanged(tag):
    assert learning_tag_validator(tag, {}) == tag


@pytest.mark.parametrize("raw, stored", [
    ("ស" + COENG_DA + "ារ", "ស" + COENG_TA + "ារ"),  # coeng DA -> coeng TA
    ("cafe\u0301", "café"),  # NFC
    ("  ព្រៃឈើ ", "ព្រៃឈើ"),
])
def test_normalised(raw, stored):
    assert learning_tag_validator(raw, {}) == stored


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff"])
def test_zero_width_rejected(char):
    code = f"{ord(char):04X}"
    with pytest.raises(tk.Invalid, match=rf"zero-width character \(U\+{code}\)"):
        learning_tag_validator("ព្រៃ" + char + "ឈើ", {})


@pytest.mark.parametrize("char", ["\x07", "\n", "\t", "\x7f", "\u202e"])
def test_control_character_rejected(char):
    with pytest.raises(tk.Invalid, match="control character"):
        learning_tag_validator("ព្រៃ" + char + "ឈើ", {})


@pytest.mark.parametrize("tag", ["<b>", "a&b", 'say "hi"', "it's"])
def test_markup_rejected(tag):
    with pytest.raises(tk.Invalid, match="must not contain <, >, & or quotes"):
        learning_tag_validator(tag, {})


@pytest.mark.parametrize("tag", ["ព្រៃឈើ។", "#tag", "a/b", "tree🌳"])
def test_other_characters_rejected(tag):
    with pytest.raises(tk.Invalid, match="may only contain letters"):
        learning_tag_validator(tag, {})


@pytest.mark.parametrize("tag", ["ป่าไม้", "Flexible ァ", "Łódź"])
def test_other_scripts_accepted_as_core_accepts_them(tag):
    """It replaces core's validator by name: nothing core took is refused."""
    assert learning_tag_validator(tag, {}) == tag


def test_length_limits_follow_core():
    from ckan.model import MAX_TAG_LENGTH, MIN_TAG_LENGTH
    assert learning_tag_validator("ក" * MAX_TAG_LENGTH, {})
    with pytest.raises(tk.Invalid, match=f"at least {MIN_TAG_LENGTH} characters"):
        learning_tag_validator("ក", {})
    with pytest.raises(tk.Invalid, match=f"at most {MAX_TAG_LENGTH} characters"):
        learning_tag_validator("ក" * (MAX_TAG_LENGTH + 1), {})


def test_length_counted_after_normalisation():
    with pytest.raises(tk.Invalid, match="at least"):
        learning_tag_validator("e\u0301", {})  # two code points, one after NFC


def test_name_validator_is_a_drop_in_for_core():
    """Characters and normalisation only: core's tag_length_validator keeps
    the length, as for the tag_name_validator it replaces."""
    assert learning_tag_name_validator("ក", {}) == "ក"
    assert learning_tag_name_validator("ស" + COENG_DA + "ារ", {}) == (
        "ស" + COENG_TA + "ារ")
    with pytest.raises(tk.Invalid, match="zero-width"):
        learning_tag_name_validator("ក\u200bខ", {})
    with pytest.raises(tk.Invalid, match="must be text"):
        learning_tag_name_validator(5, {})
    from ckan.logic.validators import tag_name_validator as core_validator
    with pytest.raises(tk.Invalid):
        core_validator("ព្រៃឈើ", {})  # why we need it


class TestTagString:
    """The dataset form's comma-separated core tags, through navl."""

    def run(self, tag_string):
        from ckan.lib.navl.dictization_functions import validate
        from ckan.lib.navl.validators import ignore_missing

        from ckanext.learning.fluent.tags import learning_tag_string_convert
        schema = {"tag_string": [ignore_missing, learning_tag_string_convert],
                  "tags": {"name": [ignore_missing]}}
        return validate({"tag_string": tag_string}, schema, {})

    def test_khmer_tags_stored_normalised(self):
        data, errors = self.run("ព្រៃឈើ, ស" + COENG_DA + "ារ ,forest,forest")
        assert errors == {}
        assert [t["name"] for t in data["tags"]] == [
            "ព្រៃឈើ", "ស" + COENG_TA + "ារ", "forest"]

    def test_every_bad_tag_reported(self):
        _, errors = self.run("ok,ក,<b>,ព្រៃ\u200bឈើ")
        assert len(errors["tag_string"]) == 3

    def test_core_converter_rejects_khmer(self):
        from ckan.logic.validators import tag_string_convert as core_converter
        with pytest.raises(tk.Invalid):
            core_converter(
                ("tag_string",), {("tag_string",): "ព្រៃឈើ"}, {("tag_string",): []}, {})
