"""``/learning/core-fields/<lang>``: our records as a stock CKAN portal
stores them (harvest/core_fields.py, harvest/views.py).  The end-to-end
harvest into stock portals is in test_ckan_harvest.py."""
from __future__ import annotations

import pytest
from ckan.lib.navl.dictization_functions import Invalid
from ckan.logic import validators as core_validators
from ckan.tests import helpers

from ckanext.learning.harvest import core_fields
from ckanext.learning.tests.resources import learning_resource

KEYWORDS = {"en": ["forest", "patrol"], "km": ["ព្រៃឈើ", "ល្បាត"]}


def _core_accepts(tag: str) -> bool:
    try:
        core_validators.tag_name_validator(tag, {})
    except Invalid:
        return False
    return True


def test_core_tags_are_what_core_accepts_each_once():
    tags = core_fields.core_tags({"en": ["forest", "x", "a/b"], "km": ["ព្រៃឈើ", "ក"]},
                                 [{"name": "forest"}, {"name": "ព្រៃឈើ"}])
    # "x" and "ក" are shorter than core's minimum of two, "a/b" has a
    # character core refuses, "ព្រៃឈើ" has coeng and vowel signs
    assert tags == [{"name": "forest"}]
    assert not _core_accepts("ព្រៃឈើ")


def test_extras_one_per_language_and_lists_joined():
    record = {"title_translated": {"en": "Handbook", "km": "សៀវភៅ"},
              "notes_translated": {"en": "", "km": "សេចក្ដី"},
              "keywords": KEYWORDS, "language": ["km", "en"], "resource_type": "toolkit",
              "edition_of": "", "download_count": 4, "review_status": "published",
              "marc21_246": {}, "marc21_500": {"en": "", "km": ""},
              "title": "Handbook", "name": "handbook"}
    found = {e["key"]: e["value"] for e in core_fields.extras(record, "en")}
    # the notes have Khmer only, which core notes then show: not repeated
    assert found == {"title_km": "សៀវភៅ",
                     "keywords_en": "forest, patrol", "keywords_km": "ព្រៃឈើ, ល្បាត",
                     "language": "km, en", "resource_type": "toolkit"}
    # in Khmer, the English title is the other language
    found = {e["key"]: e["value"] for e in core_fields.extras(record, "km")}
    assert found["title_en"] == "Handbook" and "title_km" not in found
    assert "notes_km" not in found and "notes_en" not in found


def test_a_title_in_one_language_only_falls_back():
    shown = core_fields.dataset({"title_translated": {"km": "សៀវភៅ", "en": ""},
                                 "name": "x"}, "en", "http://portal")
    assert shown["title"] == "សៀវភៅ" and shown["type"] == "dataset"
    assert not [e for e in shown["extras"] if e["key"].startswith("title_")]


def test_group_image_is_absolute():
    shown = core_fields.group({"name": "journalism", "image_url": "/learning/themes/j.svg",
                               "title_translated": {"en": "Journalism", "km": "សារព័ត៌មាន"},
                               "description_translated": {"en": "News", "km": ""}},
                              "km", "http://portal/")
    assert shown["image_url"] == "http://portal/learning/themes/j.svg"
    assert shown["title"] == shown["display_name"] == "សារព័ត៌មាន"
    assert shown["description"] == "News"


pytestmark_app = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                         "themes_created")


@pytestmark_app
def test_the_api_answers_core_fields(app, org):
    helpers.call_action("package_create", **learning_resource(
        org, keywords=KEYWORDS, resources=[{
            "url": "https://example.org/handbook.pdf", "format": "PDF",
            "name_translated": {"en": "Handbook (PDF)", "km": "សៀវភៅ (PDF)"}}]))
    response = app.get("/learning/core-fields/km/api/3/action/package_search",
                       query_string={"q": "ល្បាត"}, follow_redirects=False)
    assert response.status_code == 200  # answered, not redirected
    body = response.json
    assert body["success"] and body["result"]["count"] == 1
    record = body["result"]["results"][0]
    assert record["type"] == "dataset"
    assert record["title"] == "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"
    assert record["notes"] == "របៀបដែលគណៈកម្មការរៀបចំការល្បាតព្រៃឈើ។"
    assert {t["name"] for t in record["tags"]} == {"forest", "patrol"}
    assert all(_core_accepts(t["name"]) for t in record["tags"])
    extras = {e["key"]: e["value"] for e in record["extras"]}
    assert extras["title_en"] == "Community forest patrol handbook"
    assert extras["keywords_km"] == "ព្រៃឈើ, ល្បាត"
    assert record["resources"][0]["name"] == "សៀវភៅ (PDF)"
    assert record["resources"][0]["name_en"] == "Handbook (PDF)"
    # no fluent field is left for a stock portal to drop or choke on
    assert not [k for k in record if k.endswith("_translated") or k == "keywords"]
    assert [g["name"] for g in record["groups"]] == ["environment-nrm"]

    shown = app.get("/learning/core-fields/en/api/action/package_show",
                    query_string={"id": "forest-patrol-handbook"},
                    follow_redirects=False).json["result"]
    assert shown["title"] == "Community forest patrol handbook"

    theme = app.get("/learning/core-fields/km/api/3/action/group_show",
                    query_string={"id": "environment-nrm"}).json["result"]
    assert theme["title"] and theme["title"] != theme["name"]
    assert theme["image_url"].startswith("http")
    organisation = app.get("/learning/core-fields/en/api/3/action/organization_show",
                           query_string={"id": org["name"]}).json["result"]
    assert organisation["name"] == org["name"] and "extras" not in organisation


@pytestmark_app
def test_errors_are_cores_answers(app, org):
    helpers.call_action("package_create", **learning_resource(org, private=True))
    # an unpublished record stays out, as on the normal API
    assert app.get("/learning/core-fields/en/api/3/action/package_search").json[
        "result"]["count"] == 0
    missing = app.get("/learning/core-fields/en/api/3/action/package_show",
                      query_string={"id": "forest-patrol-handbook"}, status=403)
    assert missing.json["success"] is False
    app.get("/learning/core-fields/en/api/3/action/package_show",
            query_string={"id": "nothing-here"}, status=404)
    broken = app.get("/learning/core-fields/en/api/3/action/package_search",
                     query_string={"q": "(" * 1000}, status=409)
    assert broken.json["success"] is False
    assert "fr" in app.get("/learning/core-fields/fr/api/3/action/package_search",
                           status=404).json["error"]["message"]
    refused = app.get("/learning/core-fields/en/api/3/action/package_create", status=400)
    assert "package_search" in refused.json["error"]["message"]
    app.post("/learning/core-fields/en/api/3/action/package_search", status=405)
