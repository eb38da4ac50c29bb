"""The new-resource form: messages name the field by its label, in the
page's language, on the stage where the field is; CC BY 4.0 unless
another licence is chosen; the URL name made on the server."""
from __future__ import annotations

import json
import re

import ckan.model as model
import pytest
from ckan.lib import search
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.library.romanise import romanise
from ckanext.learning.tests.resources import learning_resource

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

EMPTY = {  # the first stage posted empty, as the browser posts it
    "title_translated-en": "", "title_translated-km": "",
    "notes_translated-en": "", "notes_translated-km": "",
    "name": "", "save": "continue", "_ckan_phase": "dataset_new_1",
}

FIELDS = {  # a complete first stage, as the form posts it
    "title_translated-en": "", "title_translated-km": "ការល្បាតព្រៃសហគមន៍",
    "notes_translated-en": "", "notes_translated-km": "របៀបរៀបចំការល្បាត។",
    "resource_type": "toolkit", "themes": "environment-nrm", "language": "km",
    "name": "", "save": "continue", "_ckan_phase": "dataset_new_1",
}


@pytest.fixture
def contributor(org):
    user = factories.User()
    LocalCKAN().action.organization_member_create(
        id=org["id"], username=user["name"], role="editor")
    return {"Authorization": factories.APIToken(user=user["name"])["token"], "user": user}


def post(app, url, contributor, data, **kwargs):
    return app.post(url, data=data, headers={"Authorization": contributor["Authorization"]},
                    **kwargs)


def summary(body: str) -> list[str]:
    box = re.search(r'<div class="error-explanation.*?</div>', body, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", item).strip()
            for item in re.findall(r"<li[^>]*>(.*?)</li>", box.group(0), re.S)] if box else []


class TestEmptyForm:
    def test_khmer_messages_name_the_fields_by_label(self, app, org, contributor):
        body = post(app, "/km/learning-resource/new", contributor,
                    dict(EMPTY, owner_org=org["id"])).body
        items = summary(body)
        assert "ចំណងជើង: សូមបំពេញយ៉ាងហោចណាស់មួយភាសា៖ ខ្មែរ, អង់គ្លេស" in items
        assert "សេចក្ដីសង្ខេប: សូមបំពេញយ៉ាងហោចណាស់មួយភាសា៖ ខ្មែរ, អង់គ្លេស" in items
        assert "ភាសារបស់ឯកសារ: សូមជ្រើសរើសយ៉ាងហោចណាស់មួយ" in items
        text = " ".join(items)
        for raw in ("Select at least one", "title_translated", "notes_translated",
                    "km, en", "private", "URL"):
            assert raw not in text
        # the empty title and summary are marked where they are
        for field in ("title_translated", "notes_translated"):
            fieldset = re.search(rf'<fieldset class="([^"]*)" id="field-{field}">(.*?)</fieldset>',
                                 body, re.S)
            assert "error" in fieldset.group(1)
            assert "សូមបំពេញយ៉ាងហោចណាស់មួយភាសា៖ ខ្មែរ" in fieldset.group(2)
        # the inputs are named in Khmer, the English one says it is English
        assert re.search(r'<label class="form-label" for="field-title_translated-en">'
                         r'\s*អង់គ្លេស</label>', body)
        assert 'lang="en"' in body[body.index('id="field-title_translated-en"') - 300:
                                   body.index('id="field-title_translated-en"') + 300]

    def test_english_messages(self, app, org, contributor):
        items = summary(post(app, "/learning-resource/new", contributor,
                             dict(EMPTY, owner_org=org["id"])).body)
        assert "Title: Fill it in, in at least one language: Khmer, English" in items
        assert "Languages of the document: Select at least one" in items

    def test_the_url_name_is_never_required(self, app, org, contributor):
        body = app.get("/km/learning-resource/new",
                       headers={"Authorization": contributor["Authorization"]}).body
        url_field = body[body.index('for="field-name"') - 200:body.index('id="field-name"')]
        assert "control-required" not in url_field
        assert 'placeholder="បង្កើតពីចំណងជើង"' in body
        assert 'translate="no" dir="ltr">/km/learning-resource/<' in body

    def test_the_licence_is_cc_by_unless_chosen(self, app, contributor):
        body = app.get("/km/learning-resource/new",
                       headers={"Authorization": contributor["Authorization"]}).body
        assert re.search(r'<option value="CC-BY-4.0"\s+selected', body)
        assert "Creative Commons បញ្ជាក់ឈ្មោះម្ចាស់ 4.0" in body
        assert "Licence not specified" not in body and "មិនបានបញ្ជាក់អាជ្ញាប័ណ្ណ" in body


class TestStages:
    def test_a_khmer_only_resource_goes_through_both_stages(self, app, org, contributor):
        response = post(app, "/km/learning-resource/new", contributor,
                        dict(FIELDS, owner_org=org["id"]), follow_redirects=False)
        assert response.status_code == 302, summary(response.body)
        name = re.search(r"/learning-resource/([^/]+)/resource/new", response.location).group(1)
        assert name == "karlbatpraishakman"  # ការល្បាតព្រៃសហគមន៍ in Latin letters
        response = post(app, f"/km/learning-resource/{name}/resource/new", contributor, {
            "url": "https://www.youtube.com/watch?v=abc", "name_translated-km": "វីដេអូ",
            "save": "go-metadata", "id": ""}, follow_redirects=False)
        assert response.status_code == 302, summary(response.body)
        created = LocalCKAN().action.package_show(id=name)
        assert created["license_id"] == "CC-BY-4.0"
        assert created["resources"][0]["format"] == "YouTube"

    def test_the_last_stage_names_a_first_stage_field_by_its_label(self, app, org,
                                                                    contributor):
        """An older draft without a summary: the files stage says what is
        missing, by its label, and leads back to the first stage."""
        draft = LocalCKAN(username=contributor["user"]["name"]).action.package_create(
            **learning_resource(org, "old-draft", state="draft"))
        package = model.Package.get(draft["id"])
        package.extras = dict(package.extras, notes_translated=json.dumps({}))
        package.notes = ""
        model.Session.commit()
        search.rebuild(draft["id"])
        body = post(app, "/km/learning-resource/old-draft/resource/new", contributor, {
            "url": "https://example.org/guide", "name_translated-km": "មគ្គុទ្ទេសក៍",
            "save": "go-metadata", "id": ""}).body
        items = summary(body)
        assert "សេចក្ដីសង្ខេប: សូមបំពេញយ៉ាងហោចណាស់មួយភាសា៖ ខ្មែរ, អង់គ្លេស" in items, items
        shown = re.sub(r"<[^>]+>", " ", body[body.index("error-explanation"):][:3000])
        assert "notes_translated" not in shown and "km, en" not in shown
        assert 'href="/km/learning-resource/edit/old-draft"' in body


class TestUrlName:
    @pytest.mark.parametrize("titles, expected", [
        ({"en": "Community Forest Patrol: A Handbook!"}, "community-forest-patrol-a-handbook"),
        ({"en": "Forest patrols", "km": "ការល្បាតព្រៃ"}, "forest-patrols"),
        ({"km": "ការល្បាតព្រៃ"}, "karlbatprai"),
    ])
    def test_made_from_the_title(self, org, titles, expected):
        data = learning_resource(org, title_translated=titles)
        data.pop("name")
        assert LocalCKAN().action.package_create(**data)["name"] == expected

    def test_a_taken_name_gets_a_number_and_a_given_one_stays(self, org):
        first = learning_resource(org)
        first.pop("name")
        names = [LocalCKAN().action.package_create(**first)["name"] for _ in range(2)]
        assert names == ["community-forest-patrol-handbook",
                         "community-forest-patrol-handbook-2"]
        assert LocalCKAN().action.package_create(
            **learning_resource(org, "my-own-name"))["name"] == "my-own-name"

    def test_a_title_in_symbols_only_gets_a_short_id(self, org):
        data = learning_resource(org, title_translated={"km": "៖៖"})
        data.pop("name")
        assert re.fullmatch(r"resource-[0-9a-f]{8}",
                            LocalCKAN().action.package_create(**data)["name"])

    def test_romanised_khmer_reads(self):
        assert romanise("នេសាទ") == "nesat"
        assert romanise("ឯកសារ ២០២៣") == "aeksar 2023"


class TestLicences:
    def test_licence_named_in_the_pages_language(self, app, org):
        LocalCKAN().action.package_create(**learning_resource(org, "licensed"))
        km = app.get("/km/learning-resource/licensed").body
        assert "Creative Commons បញ្ជាក់ឈ្មោះម្ចាស់ 4.0" in km
        assert "Creative Commons Attribution 4.0" not in km
        assert "Creative Commons Attribution 4.0" in app.get("/learning-resource/licensed").body
        # the API keeps CKAN's own title
        assert LocalCKAN().action.package_show(id="licensed")["license_title"] == \
            "Creative Commons Attribution 4.0"
