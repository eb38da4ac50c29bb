"""Khmer and mixed-script search through package_search (PostgreSQL backend).

Khmer text is stored unspaced, as Khmer is written; the hooks segment it.
"""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.learning import khmer
from ckanext.learning.search import hooks, lucene
from ckanext.learning.search.fields import TEXT_TOKENS, TITLE_TOKENS
from ckanext.learning.search.request import SearchRequest


def search(**params):
    return helpers.call_action("package_search", **params)


def names(result) -> set[str]:
    return {r["name"] for r in result["results"]}


@pytest.fixture
def khmer_library(org):
    make = factories.Dataset
    make(name="video-editing", owner_org=org["id"],
         title="Video editing for citizen journalists",
         notes="Training.\n\nវគ្គបណ្ដុះបណ្ដាលស្ដីពីការថត និងការកាត់តវីដេអូខ្លីៗ។",
         extras=[{"key": "title_km",
                  "value": "មូលដ្ឋានគ្រឹះនៃការកាត់តវីដេអូសម្រាប់អ្នកសារព័ត៌មានពលរដ្ឋ"}])
    make(name="forest-patrol", owner_org=org["id"],
         title="Community forest patrol handbook",
         notes="ការរៀបចំការល្បាត និងការរាយការណ៍ទៅរដ្ឋបាលព្រៃឈើ។",
         extras=[{"key": "title_km", "value": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"}])
    make(name="documents-archive", owner_org=org["id"],
         title="Archive of documents",
         notes="ការរក្សាទុកឯកសារ និងរបាយការណ៍របស់អង្គការ។")
    make(name="secure-messaging", owner_org=org["id"],
         title="Secure messaging",
         notes="ការផ្ញើសារដោយសុវត្ថិភាពសម្រាប់បុគ្គលិក។")


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestKhmerSearch:
    def test_word_inside_an_unspaced_run(self, khmer_library):
        # វីដេអូ is glued to កាត់ត inside a longer run in both title and notes
        assert names(search(q="វីដេអូ")) == {"video-editing"}
        assert names(search(q="ព្រៃឈើ")) == {"forest-patrol"}
        assert names(search(q="សហគមន៍")) == {"forest-patrol"}

    def test_short_word_is_not_found_inside_another_word(self, khmer_library):
        # សារ (message) is a word in ការផ្ញើសារ, but only part of ឯកសារ
        # (documents)
        found = names(search(q="សារ"))
        assert "secure-messaging" in found
        assert "documents-archive" not in found

    @pytest.mark.parametrize("records, found", [
        # ទា "duck" and គោ "cow" glued to their neighbours are found; inside
        # ទាមទារ "demand" and គោលដៅ "goal", words of their own, they are not
        pytest.param([("poultry", "អ្នកភូមិចិញ្ចឹមទានិងគោនៅក្បែរបឹង។"),
                      ("land-claims", "សហគមន៍ទាមទារសំណងសមរម្យសម្រាប់ដីដែលបាត់បង់។"),
                      ("project-goals", "គោលដៅនៃគម្រោងគឺកាត់បន្ថយសំរាមក្នុងក្រុងសៀមរាប។")],
                     {"ទា": {"poultry"}, "គោ": {"poultry"}, "ទាមទារ": {"land-claims"},
                      "គោលដៅ": {"project-goals"}}, id="glued-and-traps"),
        # ការ is not in ពិការ "disabled" nor ហេតុការណ៍ "incident"; ទូ
        # "cupboard" is not in ទូរស័ព្ទ "telephone"; a free ការ and ទូ are
        pytest.param([("disabled-children", "កុមារពិការខ្លះមិនទាន់បានទៅសាលារៀននៅឡើយ។"),
                      ("pollution-incident", "ហេតុការណ៍បំពុលទឹកនៅស្ទឹងនេះ។"),
                      ("hotline", "គាត់បានហៅទូរស័ព្ទទៅខ្សែជំនួយ។"),
                      ("archive-room",
                       "សូមដាក់ឯកសារចាស់ក្នុងទូនៅការិយាល័យ និងការរៀបចំបណ្ណាល័យ។")],
                     {"ការ": {"archive-room"}, "ទូ": {"archive-room"},
                      "ពិការ": {"disabled-children"}, "ទូរស័ព្ទ": {"hotline"}},
                     id="inside-lexicalised-words"),
        # the sub-word model cuts ពលរដ្ឋ "citizen" as ពល|រដ្ឋ and ផ្លូវការ
        # "official" as ផ្លូវ|ការ; khmer/whole_words.txt keeps them whole, so
        # ពល "force" and ផ្លូវ "road" are not found inside, while a ផ្លូវ
        # glued to its neighbours (សាងសង់ផ្លូវថ្មី) still is
        pytest.param([("citizens", "ពលរដ្ឋមានសិទ្ធិស្នើសុំព័ត៌មានពីស្ថាប័នសាធារណៈ។"),
                      ("official-letter",
                       "លិខិតផ្លូវការត្រូវផ្ញើទៅក្រសួងបរិស្ថានមុនថ្ងៃប្រជុំ។"),
                      ("new-road", "រដ្ឋាភិបាលសាងសង់ផ្លូវថ្មីកាត់តាមព្រៃការពារ។")],
                     {"ពល": set(), "ផ្លូវ": {"new-road"}, "ពលរដ្ឋ": {"citizens"},
                      "ផ្លូវការ": {"official-letter"}}, id="lexicalised-words-stay-whole"),
    ])
    def test_words_inside_compounds_and_glued_words(self, org, records, found):
        """Issue 16: a short word is not found inside a word of its own,
        and is found where it is only glued to its neighbours."""
        for name, notes in records:
            factories.Dataset(name=name, owner_org=org["id"], title=name.replace("-", " "),
                              notes=notes)
        assert {q: names(search(q=q)) for q in found} == found

    def test_coeng_da_and_coeng_ta_spellings_match(self, khmer_library):
        # stored with coeng DA (ស្ដី), searched with coeng TA (ស្តី) and back
        assert names(search(q="បណ្តុះបណ្តាល")) == {"video-editing"}
        assert names(search(q="បណ្ដុះបណ្ដាល")) == {"video-editing"}

    def test_zero_width_space_in_query_is_ignored(self, khmer_library):
        assert names(search(q="វីដេ\u200bអូ")) == {"video-editing"}

    def test_mixed_script_query(self, khmer_library):
        assert names(search(q="video វីដេអូ")) == {"video-editing"}
        assert names(search(q="forest វីដេអូ")) == set()
        assert names(search(q="forest OR វីដេអូ")) == {"video-editing", "forest-patrol"}

    def test_khmer_title_ranks_above_khmer_description(self, org, khmer_library):
        factories.Dataset(name="forest-in-notes", owner_org=org["id"],
                          title="Patrol notes",
                          notes="ព្រៃសហគមន៍ ព្រៃសហគមន៍ ព្រៃសហគមន៍ និងការល្បាត។")
        result = search(q="ព្រៃសហគមន៍")
        assert [r["name"] for r in result["results"]][0] == "forest-patrol"
        assert result["count"] == 2

    @pytest.mark.parametrize("postings", [True, False], ids=["postings", "sql"])
    def test_whole_word_ranks_above_the_same_word_inside_a_compound(
            self, org, postings, ckan_config, monkeypatch):
        """ព័ត៌មាន "information" is matched by its cluster trigrams, which
        សារព័ត៌មាន "the press" holds too; the title that has it as a word of
        its own comes first, though it is the older (ties go to the newest)."""
        monkeypatch.setitem(ckan_config, "ckanext.learning.search.postings", postings)
        factories.Dataset(name="flood-information", owner_org=org["id"], title="Floods",
                          extras=[{"key": "title_km", "value": "ព័ត៌មានអំពីទឹកជំនន់"}])
        factories.Dataset(name="independent-press", owner_org=org["id"], title="Press",
                          extras=[{"key": "title_km", "value": "សារព័ត៌មានឯករាជ្យ"}])
        result = search(q="ព័ត៌មាន")
        assert [r["name"] for r in result["results"]] == ["flood-information",
                                                           "independent-press"]
        # a glued word is a word too: ការកាត់តវីដេអូ holds the word វីដេអូ
        factories.Dataset(name="video-editing", owner_org=org["id"], title="Video",
                          extras=[{"key": "title_km", "value": "ការកាត់តព័ត៌មានវីដេអូ"}])
        assert [r["name"] for r in search(q="ព័ត៌មាន")["results"]][-1] == "independent-press"

    def test_fielded_khmer_title(self, khmer_library):
        assert names(search(q="title:ព្រៃ")) == {"forest-patrol"}
        assert names(search(q="title:ឯកសារ")) == set()

    def test_khmer_phrase_and_negation(self, khmer_library):
        assert names(search(q='"ការកាត់តវីដេអូ"')) == {"video-editing"}
        assert names(search(q="ការ -វីដេអូ")) >= {"forest-patrol"}
        assert "video-editing" not in names(search(q="ការ -វីដេអូ"))

    def test_khmer_tag(self, org):
        factories.Dataset(name="tagged", owner_org=org["id"],
                          tags=[{"name": "education"}],
                          notes="សាលារៀន")
        assert names(search(q="សាលារៀន")) == {"tagged"}


class TestQueryRewrite:
    """The hooks give Solr and PostgreSQL the same segmented query."""

    def test_khmer_term_becomes_phrase_of_its_tokens(self):
        tokens = khmer.query_tokens("ការប្រែប្រួលអាកាសធាតុ")
        assert len(tokens) > 1
        assert hooks.segment_string("ការប្រែប្រួលអាកាសធាតុ") == '"' + " ".join(tokens) + '"'
        # a coeng DA spelling is normalised before segmenting
        assert hooks.segment_string("ស្ដីពី") == hooks.segment_string("ស្តីពី")

    def test_latin_query_untouched(self):
        assert hooks.segment_string("forest AND title:x") == "forest AND title:x"

    def test_fielded_khmer_title_goes_to_the_token_field(self):
        assert hooks.segment_string("title:វីដេអូ").startswith(TITLE_TOKENS + ":")

    def test_unparseable_query_left_for_the_engine_to_report(self):
        assert hooks.segment_string("វីដេអូ AND (") == "វីដេអូ AND ("

    def test_dismax_fields_include_the_token_fields(self):
        qf = hooks.segment_query({"q": "x"})["qf"]
        assert TITLE_TOKENS in qf and TEXT_TOKENS in qf

    def test_long_terms_carry_their_words_for_ranking_only(self):
        parsed = SearchRequest.from_params("ព័ត៌មាន សារ").q.tree
        assert lucene.all_rank_words(parsed) == ["ព័ត៌មាន"]  # សារ matches as a word
        assert khmer.rank_tokens("ការប្រែប្រួលអាកាសធាតុ") == [
            "ការ", "ប្រែប្រួល", "អាកាសធាតុ"]
        assert khmer.rank_tokens("សារ") == khmer.rank_tokens("forest") == []

    def test_solr_boosts_whole_words_of_long_terms(self, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.learning.search.backend", "solr")
        params = hooks.segment_query({"q": "ព័ត៌មាន"})
        assert params["q"] == '"' + " ".join(khmer.query_tokens("ព័ត៌មាន")) + '"'
        assert params["bf"] == (f"termfreq({TITLE_TOKENS},'ព័ត៌មាន')^4 "
                                f"termfreq({TEXT_TOKENS},'ព័ត៌មាន')^1")
        assert "bf" not in hooks.segment_query({"q": "សារ"})
        assert hooks.segment_query({"q": "ព័ត៌មាន", "bf": "mine"})["bf"] == "mine"

    def test_solr_gets_the_segmented_string(self, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.learning.search.backend", "solr")
        assert hooks.segment_query({"q": "title:វីដេអូ"})["q"] == hooks.segment_string(
            "title:វីដេអូ")

    def test_postgres_segments_its_own_tree(self):
        """The hook leaves q alone; the backend parses it once and segments
        the tree (the same tree the Solr string is made of)."""
        q = "ការប្រែប្រួលអាកាសធាតុ OR title:វីដេអូ"
        assert hooks.segment_query({"q": q})["q"] == q
        parsed = SearchRequest.from_params(q).q
        assert str(parsed.tree) == hooks.segment_string(q)


def test_index_fields_hold_khmer_tokens_only():
    pkg = hooks.add_segmented_text({
        "title": "Forest handbook", "title_km": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍",
        "extras_title_km": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍",
        "notes": "English and ព្រៃឈើ", "tags": ["forest", "ព្រៃឈើ"],
    })
    assert "Forest" not in pkg[TITLE_TOKENS]
    assert "English" not in pkg[TEXT_TOKENS]
    # the extras copy of title_km is not indexed twice
    assert pkg[TITLE_TOKENS].split() == [
        t for t in khmer.index_tokens("សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍")]
    assert "ព្រៃ" in pkg[TEXT_TOKENS].split()
