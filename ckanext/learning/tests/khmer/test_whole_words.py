"""Lexicalised words kept whole by the Khmer index (issue 16)."""
from __future__ import annotations

from ckanext.learning import khmer
from ckanext.learning.khmer import segmentation


def test_list_is_loaded_and_normalised():
    assert {"ពលរដ្ឋ", "ផ្លូវការ", "ស្តីពី"} <= khmer.WHOLE_WORDS
    assert all(w == khmer.normalize(w) for w in khmer.WHOLE_WORDS)


def test_runs_spelling_a_whole_word_are_joined_back():
    merge = segmentation._merge_whole_words
    assert merge(["អ្នក", "សារ", "ព័ត៌មាន"]) == ("អ្នក", "សារព័ត៌មាន")
    assert merge(["ការ", "កាត់", "ត", "វីដេអូ"]) == ("ការ", "កាត់ត", "វីដេអូ")
    assert merge(["ការ", "អប់រំ"]) == ("ការ", "អប់រំ")


def test_index_keeps_a_lexicalised_word_whole_and_splits_a_transparent_one():
    words = khmer.index_tokens("ពលរដ្ឋនិងការអប់រំ")
    assert "ពលរដ្ឋ" in words and "ពល" not in words
    assert "ការ" in words and "អប់រំ" in words
    assert khmer.query_tokens("ពល") == ["ពល"]
