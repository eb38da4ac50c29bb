"""The "cite this resource" box and files: parsed back by bibtexparser and
rispy, special characters escaped, Khmer intact, in the page's language."""
from __future__ import annotations

import bibtexparser
import pytest
import rispy
from ckan.tests import factories, helpers
from ckanapi import LocalCKAN, ValidationError

from ckanext.learning.tests.resources import learning_resource

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                      "themes_created"),
              pytest.mark.ckan_config("ckan.site_title", "Learning Platform")]

KM_TITLE = "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"
EN_TITLE = "Patrols & budgets: 100% {community} forests_2 \\ ~^$#"


@pytest.fixture
def cso():
    return factories.Organization(
        name="tonle-forest-alliance", title="Tonle Community Forest Alliance",
        title_translated={"en": "Tonle Community Forest Alliance",
                          "km": "សម្ព័ន្ធព្រៃសហគមន៍ទន្លេ"})


@pytest.fixture
def record(cso):
    return LocalCKAN().action.package_create(**learning_resource(
        cso, "patrol-handbook", resource_type="report", marc21_260c="2021",
        title_translated={"en": EN_TITLE, "km": KM_TITLE},
        keywords={"en": ["forest-patrol"], "km": ["ការល្បាតព្រៃ"]},
        marc21_260a={"en": "Phnom Penh", "km": "ភ្នំពេញ"}))


def cite(record, fmt, lang):
    return helpers.call_action("learning_citation_show", id=record["name"],
                               format=fmt, lang=lang)["citation"]


class TestBibTeX:
    def test_parses_back_with_the_fields_of_the_record(self, record):
        library = bibtexparser.parse_string(cite(record, "bibtex", "en"))
        assert not library.failed_blocks
        (entry,) = library.entries
        assert entry.entry_type == "techreport" and entry.key == "patrol-handbook2021"
        fields = entry.fields_dict
        assert fields["author"].value == "{Tonle Community Forest Alliance}"
        assert fields["year"].value == "2021"
        assert fields["institution"].value == "Tonle Community Forest Alliance"
        assert fields["address"].value == "Phnom Penh"
        assert fields["titleaddon"].value == f"[{KM_TITLE}]"
        assert fields["url"].value.endswith("/learning-resource/patrol-handbook")
        assert fields["type"].value == "Report"

    def test_latex_special_characters_are_escaped(self, record):
        fields = bibtexparser.parse_string(cite(record, "bibtex", "en")).entries[0].fields_dict
        assert fields["title"].value == (
            r"Patrols \& budgets: 100\% \{community\} forests\_2 \textbackslash{} "
            r"\textasciitilde{}\textasciicircum{}\$\#")
        # decoded back, the title is the record's (pylatexenc reads LaTeX's
        # \textasciicircum as the modifier letter U+02C6)
        decoded = bibtexparser.parse_string(
            cite(record, "bibtex", "en"),
            append_middleware=[bibtexparser.middlewares.LatexDecodingMiddleware()])
        title = decoded.entries[0].fields_dict["title"].value
        assert title.replace("\u02c6", "^") == EN_TITLE

    def test_khmer_is_kept_as_it_is(self, record):
        fields = bibtexparser.parse_string(cite(record, "bibtex", "km")).entries[0].fields_dict
        assert fields["title"].value == KM_TITLE
        assert fields["author"].value == "{សម្ព័ន្ធព្រៃសហគមន៍ទន្លេ}"
        assert fields["type"].value == "របាយការណ៍"
        assert fields["address"].value == "ភ្នំពេញ"
        assert "ការល្បាតព្រៃ" in fields["keywords"].value

    def test_people_are_authors_and_a_plain_type_is_misc(self, cso):
        record = LocalCKAN().action.package_create(**learning_resource(
            cso, "guide", marc21_100={"en": "Sok Dara; Chan Sophea"}))
        (entry,) = bibtexparser.parse_string(cite(record, "bibtex", "en")).entries
        assert entry.entry_type == "misc"
        assert entry.fields_dict["author"].value == "Sok Dara and Chan Sophea"
        assert entry.fields_dict["publisher"].value == "Tonle Community Forest Alliance"


class TestRIS:
    def test_parses_back(self, record):
        (entry,) = rispy.loads(cite(record, "ris", "km"))
        assert entry["type_of_reference"] == "RPRT"
        assert entry["title"] == KM_TITLE
        assert entry["translated_title"] == EN_TITLE
        assert entry["authors"] == ["សម្ព័ន្ធព្រៃសហគមន៍ទន្លេ"]
        assert entry["year"] == "2021"
        assert entry["place_published"] == "ភ្នំពេញ"
        assert entry["urls"][0].endswith("/learning-resource/patrol-handbook")
        assert set(entry["keywords"]) == {"ការល្បាតព្រៃ", "forest-patrol"}
        assert entry["language"] == "Khmer, English"

    def test_every_value_is_one_line_and_ty_comes_first(self, cso):
        record = LocalCKAN().action.package_create(**learning_resource(
            cso, "multi-line", notes_translated={"en": "One.\n\nTwo\r\nthree."}))
        text = cite(record, "ris", "en")
        assert text.startswith("TY  - GEN\n")
        assert all(line[2:6] == "  - " for line in text.splitlines())
        assert rispy.loads(text)[0]["abstract"] == "One. Two three."


class TestPlainText:
    def test_in_the_page_language_with_the_other_title(self, record):
        km = cite(record, "text", "km")
        assert km.startswith("សម្ព័ន្ធព្រៃសហគមន៍ទន្លេ. (2021). " + KM_TITLE
                             + " [" + EN_TITLE + "] [របាយការណ៍].")
        en = cite(record, "text", "en")
        assert en.startswith("Tonle Community Forest Alliance. (2021). " + EN_TITLE
                             + " [" + KM_TITLE + "] [Report].")
        assert " Learning Platform. http" in en
        assert en.split()[-1].endswith("/learning-resource/patrol-handbook")

    def test_one_language_only_has_no_brackets(self, cso):
        record = LocalCKAN().action.package_create(**learning_resource(
            cso, "english-only", title_translated={"en": "Only English"}))
        assert "(" in cite(record, "text", "km")
        assert "[Only English]" not in cite(record, "text", "km")
        assert cite(record, "text", "km").count("Only English") == 1


class TestAction:
    def test_bad_format_and_language_are_named(self, record):
        with pytest.raises(ValidationError) as err:
            LocalCKAN().action.learning_citation_show(id=record["name"], format="doc",
                                                      lang="fr")
        assert set(err.value.error_dict) == {"format", "lang"}
        assert "bibtex" in err.value.error_dict["format"][0]

    def test_a_private_record_is_not_cited_to_visitors(self, cso):
        record = LocalCKAN().action.package_create(**learning_resource(
            cso, "hidden", private=True))
        assert record["private"]
        with pytest.raises(Exception) as err:
            helpers.call_action("learning_citation_show", {"user": "", "ignore_auth": False},
                                id=record["name"])
        assert type(err.value).__name__ == "NotAuthorized"


class TestPage:
    def test_the_box_and_its_files(self, app, record):
        page = app.get("/km/dataset/patrol-handbook").body
        assert 'data-learning-cite="text"' in page and "[របាយការណ៍]" in page
        assert 'href="/km/learning/cite/patrol-handbook.bib"' in page
        bib = app.get("/km/learning/cite/patrol-handbook.bib")
        assert bib.headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
        assert bib.headers["Content-Disposition"] == (
            "attachment; filename*=UTF-8''patrol-handbook.bib")
        assert bibtexparser.parse_string(bib.get_data(as_text=True)).entries[0].fields_dict[
            "title"].value == KM_TITLE
        ris = app.get("/learning/cite/patrol-handbook.ris")
        assert ris.headers["Content-Type"].startswith("application/x-research-info-systems")
        assert rispy.loads(ris.get_data(as_text=True))[0]["title"] == EN_TITLE

    def test_unknown_files_and_records_are_404(self, app, record):
        app.get("/learning/cite/patrol-handbook.doc", status=404)
        app.get("/learning/cite/no-such-record.bib", status=404)
