"""The passage that matched, on each search result (library/snippets.py)."""
from __future__ import annotations

import re

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.lib.search import rebuild
from ckanapi import LocalCKAN

from ckanext.learning.documents.model import DocumentText
from ckanext.learning.khmer import clusters, normalize
from ckanext.learning.library import snippets
from ckanext.learning.tests.resources import learning_resource

#: A long Khmer summary with the searched word in its middle.
KHMER_TEXT = (("គណៈកម្មការសហគមន៍បានរៀបចំការល្បាតប្រចាំខែ ដើម្បីការពារព្រៃឈើរបស់ភូមិ"
               "និងរាយការណ៍អំពីការកាប់ឈើខុសច្បាប់ទៅអាជ្ញាធរមូលដ្ឋាន។ ") * 3
              + "ស្ត្រីក្នុងភូមិបានចូលរួមយ៉ាងសកម្មក្នុងការថែរក្សាព្រៃលិចទឹក"
              + "ហើយយុវជនបានជួយកត់ត្រាទីតាំងដោយទូរស័ព្ទស្មាតហ្វូនរបស់ពួកគេ" * 6)


def _plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "").strip("…")


def test_query_words_without_the_syntax():
    assert snippets.query_words('title:forest AND "patrol team" -logging ព្រៃឈើ a') == [
        "forest", "patrol", "team", "logging", "ព្រៃឈើ"]
    # a misordered Khmer spelling is looked for in its normal order
    assert snippets.query_words("\u1780\u17c1\u17d2\u179a") == [normalize(
        "\u1780\u17c1\u17d2\u179a")]
    assert snippets.query_words("(((") == []


def test_latin_words_marked_from_their_start_and_escaped():
    html = snippets.passage("<b>Forests</b> and deforestation", ["forest"])
    assert html == "&lt;b&gt;<mark>Forest</mark>s&lt;/b&gt; and deforestation"
    assert snippets.passage("Nothing here", ["forest"]) is None


def test_a_khmer_passage_is_cut_between_clusters_only():
    words = ["ព្រៃលិចទឹក"]
    html = str(snippets.passage(KHMER_TEXT, words))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>ព្រៃលិចទឹក</mark>" in html
    inner = _plain(html)
    text = normalize(re.sub(r"\s+", " ", KHMER_TEXT))
    assert inner in text and len(inner) <= snippets.WIDTH + len(words[0])
    at = text.index(inner)
    for cut in (at, at + len(inner)):
        # every cluster of the text stays whole on both sides of the cut
        assert ("".join(clusters(text[:cut])) + "".join(clusters(text[cut:]))
                == "".join(clusters(text))), cut


def test_the_page_language_first():
    package = {"notes_translated": {"en": "Patrols protect the forest.",
                                    "km": "ការល្បាតការពារព្រៃ forest ។"}}
    assert "Patrols" in snippets.snippet_of(package, "forest", "en").html
    found = snippets.snippet_of(package, "forest", "km")
    assert "ការល្បាត" in found.html and found.lang == "km"
    # only the other language has the word: its passage, said to be English
    found = snippets.snippet_of(package, "Patrols", "km")
    assert "<mark>Patrols</mark>" in found.html and found.lang == "en"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "themes_created")
class TestSearchPage:
    def test_summary_passage_marked(self, app, org):
        LocalCKAN().action.package_create(**learning_resource(org))
        body = app.get("/dataset/", query_string={"q": "committees"}).body
        assert '<div class="learning-snippet">' in body
        assert '<p class="mb-0" lang="en">How <mark>committees</mark>' in body

    def test_found_only_in_a_document_says_where(self, app, org):
        created = LocalCKAN().action.package_create(**learning_resource(
            org, resources=[{"url": "https://example.org/guide.pdf", "format": "PDF",
                             "name_translated": {"en": "The guide", "km": "មគ្គុទ្ទេសក៍"}}]))
        model.Session.add(DocumentText(
            resource_id=created["resources"][0]["id"], status="ok", page_count=2,
            pages=["An introduction.", "Women rangers patrol the flooded forest at night."]))
        model.Session.commit()
        rebuild(created["id"])
        body = app.get("/dataset/", query_string={"q": "rangers"}).body
        assert "Found in the document The guide, page 2" in body
        assert "Women <mark>rangers</mark> patrol" in body
        km = app.get("/km/dataset/", query_string={"q": "rangers"}).body
        assert "មគ្គុទ្ទេសក៍" in km and "<mark>rangers</mark>" in km
        # no query, no passage: the summary as before
        assert "learning-snippet" not in app.get("/dataset/").body

    def test_one_query_for_a_page_of_results_found_in_documents(self, app, org):
        for name, text in (("first", "Rangers count the trees."),
                           ("second", "The rangers met the commune council.")):
            created = LocalCKAN().action.package_create(**learning_resource(
                org, name, resources=[{"url": f"https://example.org/{name}.pdf",
                                       "format": "PDF", "name": f"{name} guide"}]))
            model.Session.add(DocumentText(
                resource_id=created["resources"][0]["id"], status="ok", page_count=1,
                pages=[text]))
            model.Session.commit()
            rebuild(created["id"])
        statements = []

        def seen(conn, cursor, statement, *args):
            if "learning_document_text" in statement:
                statements.append(statement)
        sa.event.listen(model.meta.engine, "before_cursor_execute", seen)
        try:
            body = app.get("/dataset/", query_string={"q": "rangers"}).body
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", seen)
        assert "Found in the document first guide, page 1" in body
        assert "Found in the document second guide, page 1" in body
        assert "The <mark>rangers</mark> met" in body
        assert len(statements) == 1
