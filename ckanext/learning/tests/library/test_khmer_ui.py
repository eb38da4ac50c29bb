"""English that was left in the Khmer UI: organisations, window titles and
breadcrumbs, facet labels for screen readers, error pages, the glossary."""
from __future__ import annotations

import re
from importlib import resources

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.library import demo
from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.themes.catalogue import data_file

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created"),
              pytest.mark.ckan_config("ckan.site_title", "Learning Platform")]


def flat(body: str) -> str:
    return re.sub(r"\s+", " ", body)


class TestOrganisations:
    def test_an_organisation_has_a_khmer_name_and_description(self, app):
        LocalCKAN().action.organization_create(
            name="tonle", title_translated={"en": "Tonle Alliance", "km": "សម្ព័ន្ធទន្លេ"},
            description_translated={"en": "Forests.", "km": "ព្រៃឈើ។"})
        shown = LocalCKAN().action.organization_show(id="tonle")
        assert shown["title"] == "Tonle Alliance"  # core's title for the API
        km = flat(app.get("/km/organization/").body)
        assert "សម្ព័ន្ធទន្លេ" in km and "ព្រៃឈើ។" in km and "Tonle Alliance" not in km
        page = flat(app.get("/km/organization/tonle").body)
        assert "<title>សម្ព័ន្ធទន្លេ - អង្គការ - វេទិកាសិក្សា</title>" in page
        assert "Tonle Alliance" in app.get("/organization/tonle").body

    def test_the_form_asks_for_both_languages(self, app, sysadmin):
        token = factories.APIToken(user=sysadmin["name"])["token"]
        body = app.get("/km/organization/new", headers={"Authorization": token}).body
        for name in ("title_translated-km", "title_translated-en",
                     "description_translated-km", "description_translated-en"):
            assert f'name="{name}"' in body

    def test_demo_organisations_of_an_older_portal_become_bilingual(self):
        odc = next(o for o in data_file("demo_resources.json")["organizations"]
                   if o["name"] == "odc")
        LocalCKAN().action.organization_create(  # as init made them before
            name="odc", title=odc["title"],
            description=f"{odc['description']}\n\n{odc['description_km']}")
        demo.create_demo_content()
        shown = LocalCKAN().action.organization_show(id="odc")
        assert shown["title_translated"] == {"en": odc["title"], "km": odc["title_km"]}
        assert shown["description"] == odc["description"]
        assert shown["description_translated"]["km"] == odc["description_km"]

    def test_an_edited_demo_organisation_is_left_alone(self):
        LocalCKAN().action.organization_create(name="odc", title="ODC",
                                               description="Our own words")
        demo.create_demo_content()
        assert LocalCKAN().action.organization_show(id="odc")["description"] == \
            "Our own words"


class TestLibraryWords:
    def test_window_title_and_breadcrumb_of_the_new_form(self, app, org):
        user = factories.User()
        LocalCKAN().action.organization_member_create(id=org["id"], username=user["name"],
                                                      role="editor")
        token = factories.APIToken(user=user["name"])["token"]
        body = flat(app.get("/km/learning-resource/new",
                            headers={"Authorization": token}).body)
        assert "<title>បន្ថែមធនធាន - វេទិកាសិក្សា</title>" in body
        crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', body).group(1)
        assert re.findall(r">([^<>]+)</a>", crumbs) == ["ធនធាន", "បន្ថែមធនធាន"]
        assert "Learning-" not in body and "learning-resource</a>" not in body
        english = flat(app.get("/learning-resource/new", headers={"Authorization": token}).body)
        assert "<title>Add a resource - Learning Platform</title>" in english

    def test_the_forms_stages_in_library_words(self, app, org):
        user = factories.User()
        LocalCKAN().action.organization_member_create(id=org["id"], username=user["name"],
                                                      role="editor")
        token = factories.APIToken(user=user["name"])["token"]
        for prefix, words in (("", ["Add a resource", "Files and links"]),
                              ("/km", ["បន្ថែមធនធាន", "ឯកសារ និងតំណ"])):
            body = flat(app.get(prefix + "/learning-resource/new",
                                headers={"Authorization": token}).body)
            stages = re.search(r'<ol class="stages stage-1">(.*?)</ol>', body).group(1)
            assert re.findall(r'class="highlight">([^<]+)<', stages) == words

    def test_an_empty_filter_says_so_in_words(self, app):
        body = flat(app.get("/dataset/", query_string={"q": "nothing-like-this"}).body)
        assert "Themes: none among these results" in body
        assert "There are no" not in body
        km = flat(app.get("/km/dataset/", query_string={"q": "nothing-like-this"}).body)
        assert "៖ គ្មាននៅក្នុងលទ្ធផលទាំងនេះទេ" in km

    @pytest.mark.parametrize("url", ["/dataset/", "/group/environment-nrm"])
    def test_searches_count_resources_not_datasets(self, app, org, url):
        LocalCKAN().action.package_create(**learning_resource(org, "handbook"))
        english = flat(app.get(url).body)
        assert "1 resource found" in english and "dataset found" not in english
        khmer = flat(app.get("/km" + url).body)
        assert "រកឃើញធនធាន 1" in khmer and "សំណុំទិន្នន័យ" not in khmer
        if url == "/dataset/":
            assert "<title>Resources - Learning Platform</title>" in english
            crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', khmer).group(1)
            assert re.findall(r">([^<>]+)</a>", crumbs)[-1] == "ធនធាន"
        assert "No resources found for" in flat(app.get(url + "?q=nothing-like-this").body)

    def test_group_and_organisation_lists_keep_cores_count_text(self, app, org):
        """Only resources are renamed: the other types get core's snippet."""
        assert "9 groups found" in flat(app.get("/group/").body)  # the themes
        assert "1 organization found" in flat(app.get("/organization/").body)

    def test_resource_page_title_and_tabs(self, app, org):
        LocalCKAN().action.package_create(**learning_resource(org, "handbook"))
        body = flat(app.get("/km/learning-resource/handbook").body)
        assert "<title>សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍ - ធនធាន - វេទិកាសិក្សា</title>" in body
        assert "Learning-Resource" not in body
        assert ">ឯកសារ និងតំណ<" in body  # CKAN's "Data and Resources"

    def test_facets_are_named_for_screen_readers(self, app, org):
        """Each list by its title, each link by what it shows (WCAG 2.5.3)
        and the word for what it counts."""
        LocalCKAN().action.package_create(**learning_resource(org, "handbook",
                                                              marc21_260c="2021"))
        body = app.get("/km/dataset/").body
        lists = re.findall(r'<nav aria-label="([^"]*)">\s*<ul class="[^"]*nav-facet', body)
        assert "ត្រងតាម៖ ប្រធានបទ" in lists
        links = re.findall(r'<a hx-boost="true" href="[^"]*"( aria-label="[^"]*")?>(.*?)</a>',
                           body, re.S)
        assert links
        assert not any(aria for aria, _ in links)
        shown = [re.sub(r'<span class="hidden[^"]*">.*?</span>', "", text) for _, text in links]
        names = [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in shown]
        for name in lists + names:
            for raw in ("groups", "resource_type", "marc21_260c", "res_format", "language"):
                assert raw not in name
        assert "បរិស្ថាន និងការគ្រប់គ្រងធនធានធម្មជាតិ 1 ធនធាន" in names
        assert "2021 1 ធនធាន" in names


class TestErrorPages:
    @pytest.mark.parametrize("url, status, title", [
        ("/km/learning/review", 403, "អ្នកមិនអាចបើកទំព័រនេះបានទេ"),
        ("/km/no-such-page", 404, "រកមិនឃើញទំព័រ"),
        ("/km/dataset/no-such-resource", 404, "រកមិនឃើញទំព័រ"),
    ])
    def test_in_khmer(self, app, url, status, title):
        body = flat(app.get(url, status=status).body)
        assert f"<h1>{title} <small" in body
        for english in ("Forbidden", "Not Found", "The requested URL"):
            assert english not in body

    def test_the_reason_given_is_shown(self, app):
        body = app.get("/km/learning/review", status=403).body
        assert "អ្នកពិនិត្យ" in body  # "Only reviewers can see the review queue."


def test_the_glossary_gives_each_term_in_both_languages():
    text = resources.files("ckanext.learning").joinpath("i18n", "glossary.md").read_text()
    for english, khmer in (("resource", "ធនធាន"), ("theme", "ប្រធានបទ"),
                           ("organisation", "អង្គការ"), ("contributor", "អ្នកចូលរួមចំណែក"),
                           ("reviewer", "អ្នកពិនិត្យ"), ("publish", "ផ្សព្វផ្សាយ"),
                           ("file or link", "ឯកសារ ឬតំណ")):
        row = next((line for line in text.splitlines()
                    if line.startswith("|") and f"| {english}" in line), "")
        assert khmer in row, english


@pytest.mark.ckan_config("ckan.auth.create_user_via_web", True)
def test_sign_up_says_what_an_account_is_for(app):
    english = flat(app.get("/user/register").body)
    assert "Why an account?" in english and "exciting things" not in english
    khmer = flat(app.get("/km/user/register").body)
    assert "ហេតុអ្វីត្រូវមានគណនី?" in khmer and "Why Sign Up" not in khmer
    assert 'href="/km/contribute"' in khmer
