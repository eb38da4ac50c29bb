"""Learning resources: bilingual fields, Khmer tags, themes, bad input.

Through the action API as a real client sees it (ckanapi's LocalCKAN and
HTTP), with the scheming schema and the fluent fields of this extension.
"""
from __future__ import annotations

import json

import ckan.model as model
import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN, ValidationError

from ckanext.learning.tests.resources import TYPE, learning_resource


@pytest.fixture
def editor(org):
    """A CSO editor: member of the organisation, of no theme group."""
    user = factories.User()
    LocalCKAN().action.organization_member_create(
        id=org["id"], username=user["name"], role="editor")
    return user


@pytest.fixture
def as_editor(editor):
    return LocalCKAN(username=editor["name"])


def resource_dict(org, **overrides):
    return learning_resource(org, **{
        "themes": ["environment-nrm", "training-materials"],
        "keywords": {"en": ["forest", "patrol"], "km": ["ព្រៃសហគមន៍", "ការល្បាត"]},
        "provinces": ["16", "11"],
        "marc21_260c": "2023",
        **overrides})


def package_count() -> int:
    return model.Session.query(model.Package).count()


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestCreate:
    def test_editor_creates_bilingual_resource_with_khmer_tags(self, org, as_editor):
        created = as_editor.action.package_create(**resource_dict(org))
        assert created["title_translated"] == {
            "en": "Community forest patrol handbook",
            "km": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"}
        # core fields filled from the default language for CKAN's own pages
        assert created["title"] == "Community forest patrol handbook"
        assert created["notes"] == "How committees organise patrols."
        assert created["keywords"]["km"] == ["ព្រៃសហគមន៍", "ការល្បាត"]
        assert created["license_id"] == "CC-BY-4.0"

    def test_themes_become_groups_though_the_editor_is_no_member(self, org, as_editor):
        created = as_editor.action.package_create(**resource_dict(org))
        assert sorted(g["name"] for g in created["groups"]) == [
            "environment-nrm", "training-materials"]
        updated = as_editor.action.package_patch(id=created["id"], themes=["education"])
        assert [g["name"] for g in updated["groups"]] == ["education"]
        LocalCKAN().action.package_patch(id=created["id"], private=False)  # reviewed
        group = LocalCKAN().action.group_show(id="education", include_datasets=True)
        assert group["package_count"] == 1

    def test_khmer_tag_and_khmer_word_are_searchable(self, org, as_editor):
        created = as_editor.action.package_create(**resource_dict(org))
        LocalCKAN().action.package_patch(id=created["id"], private=False)  # reviewed
        search = LocalCKAN().action.package_search
        assert search(q="ការល្បាត")["count"] == 1
        assert search(fq='tags:"ព្រៃសហគមន៍"')["count"] == 1
        assert search(q="patrol")["count"] == 1
        facets = search(**{"facet.field": '["groups", "resource_type"]'})
        labels = {i["name"]: i["display_name"]
                  for i in facets["search_facets"]["resource_type"]["items"]}
        assert labels == {"toolkit": "Toolkit or guide"}

    def test_draft_may_be_saved_without_a_title(self, org):
        sysadmin = LocalCKAN()
        draft = sysadmin.action.package_create(**resource_dict(
            org, state="draft", title_translated={}, notes_translated={}))
        assert draft["state"] == "draft"

    def test_plain_dataset_type_takes_khmer_tags(self, org, as_editor):
        created = as_editor.action.package_create(
            name="plain-khmer-tags", owner_org=org["id"],
            tags=[{"name": "ព្រៃឈើ"}], tag_string="សហគមន៍, forest")
        assert sorted(t["name"] for t in created["tags"]) == [
            "forest", "ព្រៃឈើ", "សហគមន៍"]
        with pytest.raises(ValidationError) as error:
            as_editor.action.package_create(name="bad-tag", owner_org=org["id"],
                                            tags=[{"name": "ព្រៃ\u200bឈើ"}])
        assert "zero-width" in json.dumps(error.value.error_dict)

    def test_plain_dataset_type_keeps_working(self, org, as_editor):
        created = as_editor.action.package_create(name="plain", owner_org=org["id"],
                                                  title="A plain dataset")
        assert created["type"] == "dataset"


BAD_INPUTS = [
    ("title_translated", '{"en": "Forest"', "JSON"),
    ("title_translated", {"fr": "Forêt"}, "fr"),
    ("title_translated", {"en": "", "km": ""}, "at least one language"),
    ("themes", ["cooking"], ""),
    ("resource_type", "novel", ""),
    ("provinces", ["99"], ""),
    ("keywords", {"km": ["ព្រៃ\u200bឈើ"]}, "U+200B"),
    ("keywords", {"en": ["<script>"]}, ""),
    ("marc21_260c", "20x3", "four digits"),
    ("marc21_260c", "1500", "plausible"),
    ("temporal_start", "19", "four digits"),
    ("temporal_end", "20x3", "four digits"),
    ("temporal_end", "2200", "plausible"),
    ("marc21_020", "978-0-00-000000-1", "ISBN"),
    ("license_id", "my-own-licence", "licence"),
]


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestBadInput:
    @pytest.mark.parametrize("field,value,message", BAD_INPUTS)
    def test_rejected_with_a_message_naming_the_field(self, org, as_editor, field,
                                                      value, message):
        before = package_count()
        with pytest.raises(ValidationError) as error:
            as_editor.action.package_create(**resource_dict(org, **{field: value}))
        errors = error.value.error_dict
        keys = [k for k in errors if k == field or k.startswith(field + "-")]
        assert keys, errors
        assert message.lower() in json.dumps(errors, ensure_ascii=False).lower()
        model.Session.rollback()
        assert package_count() == before

    def test_a_period_cannot_end_before_it_starts(self, org, as_editor):
        with pytest.raises(ValidationError) as error:
            as_editor.action.package_create(**resource_dict(
                org, temporal_start="2020", temporal_end="2019"))
        assert "2020" in " ".join(error.value.error_dict["temporal_end"])
        model.Session.rollback()
        created = as_editor.action.package_create(**resource_dict(
            org, temporal_start="2020", temporal_end=" 2030 "))
        assert (created["temporal_start"], created["temporal_end"]) == ("2020", "2030")

    def test_over_http_a_409_with_the_field(self, app, org, editor):
        token = factories.APIToken(user=editor["name"])["token"]
        resp = app.post("/api/3/action/package_create",
                        json=resource_dict(org, themes=["cooking"]),
                        headers={"Authorization": token}, status=409)
        assert "themes" in resp.json["error"]
        assert package_count() == 0

    def test_update_with_bad_input_keeps_the_stored_record(self, org, as_editor):
        created = as_editor.action.package_create(**resource_dict(org))
        with pytest.raises(ValidationError):
            as_editor.action.package_patch(id=created["id"],
                                           title_translated='{"km": ')
        model.Session.rollback()
        shown = as_editor.action.package_show(id=created["id"])
        assert shown["title_translated"] == created["title_translated"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestUpstreamFluentCompatibility:
    """Records in upstream ckanext-fluent's storage format (a JSON object
    per field, Khmer possibly \\u-escaped) load, show, search and round-trip."""

    UPSTREAM_TITLE = ('{"en": "Legal aid handbook", "km": "\\u179f\\u17c0\\u179c\\u1797'
                      '\\u17c5\\u1785\\u17d2\\u1794\\u17b6\\u1794\\u17cb"}')
    UPSTREAM_KEYWORDS = ('{"en": ["legal-aid"], '
                         '"km": ["\\u1785\\u17d2\\u1794\\u17b6\\u1794\\u17cb"]}')

    def test_load_show_search_round_trip(self, org):
        api = LocalCKAN()
        created = api.action.package_create(**resource_dict(
            org, title_translated=self.UPSTREAM_TITLE,
            keywords=self.UPSTREAM_KEYWORDS))
        assert created["title_translated"] == {"en": "Legal aid handbook",
                                               "km": "សៀវភៅច្បាប់"}
        assert created["keywords"] == {"en": ["legal-aid"], "km": ["ច្បាប់"]}
        # stored as upstream stores it: one JSON object, Khmer unescaped
        extras = model.Package.get(created["id"]).extras
        assert json.loads(extras["title_translated"]) == created["title_translated"]
        assert "សៀវភៅច្បាប់" in extras["title_translated"]
        assert api.action.package_search(q="ច្បាប់")["count"] == 1
        shown = api.action.package_show(id=created["id"])
        api.action.package_update(**shown)
        again = api.action.package_show(id=created["id"])
        for key in ("title_translated", "notes_translated", "keywords", "themes",
                    "provinces", "language", "title", "notes"):
            assert again[key] == shown[key], key


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestPagesInTheChosenLanguage:
    def test_dataset_page_in_khmer_and_english(self, app, org):
        LocalCKAN().action.package_create(**resource_dict(org))
        km = app.get(f"/km/{TYPE}/forest-patrol-handbook").body
        en = app.get(f"/{TYPE}/forest-patrol-handbook").body
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in km.split("<h1")[1].split("</h1>")[0]
        assert "Community forest patrol handbook" in en.split("<h1")[1].split("</h1>")[0]

    def test_missing_language_falls_back_and_says_so(self, app, org):
        LocalCKAN().action.package_create(**resource_dict(
            org, title_translated={"en": "Only in English"},
            notes_translated={"en": "English notes"}))
        km = app.get(f"/km/{TYPE}/forest-patrol-handbook").body
        heading = km.split("<h1")[1].split("</h1>")[0]
        assert "Only in English" in heading
        assert "learning-fallback" in heading

    def test_search_page_lists_titles_in_the_ui_language(self, app, org):
        LocalCKAN().action.package_create(**resource_dict(org))
        km = app.get("/km/dataset/", query_string={"q": "ព្រៃសហគមន៍"}).body
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in km
        assert "ឧបករណ៍ ឬមគ្គុទ្ទេសក៍" in km  # the resource-type facet, in Khmer
        en = app.get("/dataset/", query_string={"q": "ព្រៃសហគមន៍"}).body
        assert "Community forest patrol handbook" in en

    def test_theme_page_in_khmer(self, app, org):
        LocalCKAN().action.package_create(**resource_dict(org))
        km = app.get("/km/group/environment-nrm").body
        assert "បរិស្ថាន និងការគ្រប់គ្រងធនធានធម្មជាតិ" in km
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in km
        en = app.get("/group/environment-nrm").body
        assert "Environment &amp; Natural Resource Management" in en


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestForm:
    """The dataset form: languages side by side, errors shown, nothing lost."""

    def form_data(self, org, **overrides):
        data = {
            "name": "form-made-resource", "owner_org": org["id"],
            "title_translated-en": "Made in the form",
            "title_translated-km": "បង្កើតក្នុងទម្រង់",
            "notes_translated-en": "Notes", "notes_translated-km": "កំណត់ចំណាំ",
            "resource_type": "report", "themes": ["education", "journalism"],
            "language": ["km"], "save": "", "_ckan_phase": "1",
        }
        data.update(overrides)
        return data

    def test_form_shows_each_language_side_by_side(self, app, editor):
        token = factories.APIToken(user=editor["name"])["token"]
        body = app.get(f"/{TYPE}/new", headers={"Authorization": token}).body
        assert 'name="title_translated-km"' in body
        assert 'name="title_translated-en"' in body
        assert 'lang="km"' in body

    def test_form_creates_with_both_languages_and_themes(self, app, org, editor):
        token = factories.APIToken(user=editor["name"])["token"]
        app.post(f"/{TYPE}/new", data=self.form_data(org),
                 headers={"Authorization": token}, follow_redirects=False)
        shown = LocalCKAN().action.package_show(id="form-made-resource")
        assert shown["title_translated"] == {"en": "Made in the form",
                                             "km": "បង្កើតក្នុងទម្រង់"}
        assert sorted(g["name"] for g in shown["groups"]) == ["education", "journalism"]

    def test_form_error_is_shown_and_nothing_stored(self, app, org, editor):
        token = factories.APIToken(user=editor["name"])["token"]
        resp = app.post(f"/{TYPE}/new", data=self.form_data(org, themes=["cooking"]),
                        headers={"Authorization": token}, follow_redirects=False)
        assert resp.status_code == 200
        assert "error" in resp.body.lower()
        # what the user typed is still in the form
        assert "បង្កើតក្នុងទម្រង់" in resp.body
        assert model.Package.get("form-made-resource") is None


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
def test_khmer_and_english_editions_link_to_each_other(app, org):
    api = LocalCKAN()
    api.action.package_create(**resource_dict(
        org, name="survey-en", title_translated={"en": "Survey report"}))
    api.action.package_create(**resource_dict(
        org, name="survey-km", title_translated={"km": "របាយការណ៍អង្កេត"},
        edition_of="survey-en"))
    assert 'href="/learning-resource/survey-km"' in app.get(f"/{TYPE}/survey-en").body
    assert 'href="/learning-resource/survey-en"' in app.get(f"/{TYPE}/survey-km").body
    # an edition that comes later (harvested in another order) is no error,
    # and the page links to nothing until it exists
    api.action.package_create(**resource_dict(org, name="orphan",
                                              edition_of="arrives-later"))
    assert "/learning-resource/arrives-later" not in app.get(f"/{TYPE}/orphan").body
    api.action.package_create(**resource_dict(
        org, name="arrives-later", title_translated={"km": "មកដល់ក្រោយ"}))
    assert 'href="/learning-resource/arrives-later"' in app.get(f"/{TYPE}/orphan").body
    with pytest.raises(ValidationError) as error:
        api.action.package_create(**resource_dict(org, name="badly-named",
                                                  edition_of="Not a name!"))
    assert "edition_of" in error.value.error_dict
