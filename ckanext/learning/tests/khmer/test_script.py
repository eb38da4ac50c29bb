"""One spelling per Khmer word: the orders keyboards and converters produce
meet the normal order, in the index, in queries and in tags."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.learning.khmer import cluster_starts, clusters, normalize

#: (as typed, as the SIL Khmer character specification orders it)
MISORDERED = [
    ("ស\u17b6\u17d2រ", "ស្រា"),                      # vowel typed before its subscript
    ("ស\u17d2រ\u17d2ត\u17b8", "ស្ត្រី"),              # coeng RO before coeng TA
    ("ក\u17c1\u17b6ះ", "កោះ"),                       # េ + ា for ោ
    ("ស\u17c1\u17b8ព", "សើព"),                       # េ + ី for ើ
    ("ក\u17c6\u17b6", "កាំ"),                        # nikahit before its vowel
    ("ក\u17b6\u17b6រ", "ការ"),                       # a vowel typed twice
    ("ប\u17ca\u17ca", "ប៊"),                         # a shifter typed twice
    ("ច\u17b6\u17d2បប\u17cb", "ច្បាប់"),            # vowel first, in a longer word
]


@pytest.mark.parametrize(("typed", "normal"), MISORDERED)
def test_misordered_spellings_meet_the_normal_order(typed, normal):
    assert normalize(typed) == normalize(normal) == normal


def test_clusters_start_at_base_letters_never_at_a_subscript():
    # ប្រែ is one cluster (ប + coeng រ + vowel), as is ស្ត្រី; digits stay a run
    text = "ការប្រែប្រួល ស្ត្រី ២០២៤"
    assert clusters(text) == ["កា", "រ", "ប្រែ", "ប្រួ", "ល", "ស្ត្រី", "២០២៤"]
    assert [text[i:i + 2] for i in cluster_starts(text)] == [
        "កា", "រប", "ប្", "ប្", "ល ", "ស្", "២០"]


def test_normal_text_and_latin_stay_as_they_are():
    text = "ការអប់រំសម្រាប់កុមារ — Education for children (2024)"
    assert normalize(text) == text


def test_coeng_da_reads_as_coeng_ta_and_invisible_joiners_go():
    assert normalize("ស\u17d2\u178a\u200bី") == "ស\u17d2\u178fី"


def test_whole_sentences_are_reordered_syllable_by_syllable():
    typed = "ការ\u200bក\u17b6\u17b6រពារ ស\u17b6\u17d2រ"
    assert normalize(typed) == "ការការពារ ស្រា"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_misordered_query_finds_the_normally_spelled_record():
    factories.Dataset(name="women", title="សិទ្ធិស្ត្រីក្នុងការងារ",
                      owner_org=factories.Organization()["id"])
    typed = "ស\u17d2រ\u17d2ត\u17b8"          # ស្ត្រី with coeng RO typed first
    assert typed != "ស្ត្រី"
    found = helpers.call_action("package_search", q=typed)
    assert [r["name"] for r in found["results"]] == ["women"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_misordered_record_is_found_by_the_normal_spelling():
    factories.Dataset(name="law", title="ច\u17b6\u17d2បប\u17cbការងារ",
                      owner_org=factories.Organization()["id"])
    found = helpers.call_action("package_search", q="ច្បាប់")
    assert [r["name"] for r in found["results"]] == ["law"]
