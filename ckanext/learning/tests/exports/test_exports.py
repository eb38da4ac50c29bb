"""Search results as CSV and JSON (exports/): both languages, the page's
own query and facets, streamed a page at a time."""
from __future__ import annotations

import csv
import io
import json

import pytest
from ckan.tests import helpers

from ckanext.learning.exports import views
from ckanext.learning.tests.resources import learning_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "themes_created")


@pytest.fixture
def library(org):
    made = []
    for i, (en, km, kind) in enumerate([
            ("Forest patrol handbook", "សៀវភៅណែនាំការល្បាតព្រៃ", "toolkit"),
            ("River fisheries case study", "ករណីសិក្សាការនេសាទទន្លេ", "case_study"),
            ("Budget training slides", "ស្លាយបណ្តុះបណ្តាលថវិកា", "training_material")]):
        made.append(helpers.call_action("package_create", **learning_resource(
            org, name=f"record-{i}", resource_type=kind,
            title_translated={"en": en, "km": km},
            keywords={"en": [en.split()[0].lower()], "km": [km[:4]]})))
    helpers.call_action("package_create", **learning_resource(
        org, name="a-draft", private=True,
        title_translated={"en": "Unpublished draft", "km": "សេចក្ដីព្រាង"}))
    return made


def _csv(app, **args):
    resp = app.get("/learning/export.csv", query_string=args)
    assert resp.status_code == 200, resp.body[:300]
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_both_languages_and_only_what_the_visitor_sees(app, library):
    table = _csv(app)
    assert sorted(r["name"] for r in table) == ["record-0", "record-1", "record-2"]
    row = next(r for r in table if r["name"] == "record-1")
    assert row["title_km"] == "ករណីសិក្សាការនេសាទទន្លេ"
    assert row["title_en"] == "River fisheries case study"
    assert row["summary_km"] and row["summary_en"]
    assert row["keywords_en"] == "river" and row["keywords_km"]
    assert row["themes"] == "environment-nrm"
    assert row["url"].endswith("/learning-resource/record-1")


def test_the_search_pages_query_and_facets_apply(app, library):
    assert [r["name"] for r in _csv(app, q="ទន្លេ")] == ["record-1"]
    assert [r["name"] for r in _csv(app, resource_type="training_material")] == ["record-2"]
    assert _csv(app, q="nothing-matches-this") == []


def test_json_is_the_records_as_the_api_gives_them(app, library):
    resp = app.get("/learning/export.json", query_string={"sort": "name asc"})
    records = json.loads(resp.get_data(as_text=True))
    assert [r["name"] for r in records] == ["record-0", "record-1", "record-2"]
    assert records[0]["title_translated"]["km"] == "សៀវភៅណែនាំការល្បាតព្រៃ"


def test_streamed_a_page_at_a_time(app, library, monkeypatch):
    searches = []
    real = views.tk.get_action("package_search")

    def counting_search(context, data_dict):
        searches.append(data_dict["start"])
        return real(context, data_dict)

    monkeypatch.setattr(views, "PAGE", 2)
    monkeypatch.setattr(views.tk, "get_action", lambda name: counting_search)
    resp = app.get("/learning/export.csv", query_string={"sort": "name asc"})
    assert resp.is_streamed
    names = [r["name"] for r in csv.DictReader(io.StringIO(resp.get_data(as_text=True)[1:]))]
    assert names == ["record-0", "record-1", "record-2"]
    assert searches == [0, 2]


def test_a_broken_query_is_a_409_not_half_a_file(app, library):
    resp = app.get("/learning/export.csv", query_string={"q": "title:(unclosed"})
    assert resp.status_code == 409
    app.get("/learning/export.xml", status=404)


def test_search_page_links_to_the_exports_with_its_query(app, library):
    page = app.get("/dataset/", query_string={"q": "ទន្លេ"}).body
    assert "/learning/export.csv?q=" in page and "/learning/export.json?q=" in page
