"""The form and display snippets render: one input per language side by side
with lang attributes and per-language errors; the value in the page's
language with a visible note when another language stands in."""
from __future__ import annotations

import ckan.lib.helpers as core_helpers
import flask
import pytest

from ckanext.learning.fluent import helpers

from .harness import field

FOREST = {"en": "Forest", "km": "ព្រៃឈើ"}


@pytest.fixture
def render(app, monkeypatch):
    """Render a scheming snippet as the page would, in the given UI language
    (our helpers registered as the plugin's blanket would)."""
    for name in helpers.__all__:
        monkeypatch.setitem(core_helpers.helper_functions, name, getattr(helpers, name))

    def render(kind, snippet, fld, data, errors=None, lang="en"):
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
            return flask.render_template(
                f"scheming/{kind}_snippets/{snippet}",
                field=fld, data=data, errors=errors or {},
                entity_type="dataset", object_type="dataset")
    return render


pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "learning_fluent scheming_datasets"),
    pytest.mark.usefixtures("with_plugins"),
]


class TestForm:
    def test_one_input_per_language_with_lang(self, render):
        html = render("form", "fluent_text.html",
                      field("fluent_text", required_languages=["km"]),
                      {"books": FOREST},
                      {"books-en": ["Too short"]})
        assert 'name="books-km"' in html and 'name="books-en"' in html
        assert 'lang="km"' in html and 'lang="en"' in html
        assert html.index("books-km") < html.index("books-en")  # form order
        # each input named in the page's language, not in its own
        assert "> Khmer</label>" in html and ">English</label>" in html
        assert "ខ្មែរ" not in html
        assert 'value="ព្រៃឈើ"' in html
        assert "Too short" in html
        assert html.count('class="control-required"') == 1  # km only

    def test_language_names_in_a_khmer_page(self, render):
        html = render("form", "fluent_text.html", field("fluent_text"),
                      {"books": FOREST}, lang="km")
        assert ">ខ្មែរ</label>" in html and ">អង់គ្លេស</label>" in html
        assert "English" not in html

    def test_resubmitted_values_win(self, render):
        html = render("form", "fluent_text.html", field("fluent_text"),
                      {"books": FOREST, "books-en": "Woods"})
        assert 'value="Woods"' in html

    def test_markdown_and_tags_and_link(self, render):
        assert "<textarea" in render("form", "fluent_markdown.html",
                                     field("fluent_markdown"), {"books": FOREST})
        html = render("form", "fluent_tags.html", field("fluent_tags"),
                      {"books": {"en": ["forest", "climate"]}})
        assert 'value="forest,climate"' in html
        assert 'type="url"' in render("form", "fluent_link.html",
                                      field("fluent_link"), {})

    def test_error_summary_names_the_language(self, render, app):
        fld = field("fluent_text", label="Books")
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            html = flask.render_template(
                "scheming/error_snippets/fluent_text.html", field=fld,
                unprocessed={"books-km": ['Required language "km" missing'],
                             "x": ["y"]})
        assert "Books" in html and "(Khmer)" in html and "missing" in html


class TestDisplay:
    def test_value_in_ui_language(self, render):
        html = render("display", "fluent_text.html", field("fluent_text"),
                      {"books": FOREST}, lang="km")
        assert "ព្រៃឈើ" in html and "Forest" not in html
        assert "fluent-fallback" not in html

    def test_fallback_is_said(self, render):
        html = render("display", "fluent_text.html", field("fluent_text"),
                      {"books": {"en": "Forest"}}, lang="km")
        assert "Forest" in html
        assert "fluent-fallback" in html

    def test_fallback_note_in_english(self, render):
        html = render("display", "fluent_text.html", field("fluent_text"),
                      {"books": {"km": "ព្រៃឈើ"}}, lang="en")
        assert "(shown in Khmer: no English version)" in html

    def test_markdown_rendered(self, render):
        html = render("display", "fluent_markdown.html", field("fluent_markdown"),
                      {"books": {"en": "**Forest**"}})
        assert "<strong>Forest</strong>" in html

    def test_tags_and_link(self, render):
        html = render("display", "fluent_tags.html", field("fluent_tags"),
                      {"books": {"km": ["ព្រៃឈើ"]}}, lang="km")
        assert '<span class="tag">ព្រៃឈើ</span>' in html
        html = render("display", "fluent_link.html", field("fluent_link"),
                      {"books": {"en": "https://example.org/"}})
        assert 'href="https://example.org/"' in html
