"""learning_suggest: both scripts, themes and organisations, limits, bad
input, and no title a visitor may not read."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource


def suggest(username=None, **params):
    """As ``username``, or as an anonymous visitor."""
    context = {"user": username or "", "ignore_auth": False}
    return helpers.call_action("learning_suggest", context=context, **params)


def titles(result, kind=None):
    return [s["title"] for s in result if kind is None or s["type"] == kind]


@pytest.fixture
def library(org, sysadmin, themes_created):
    site = LocalCKAN(username=sysadmin["name"])
    site.action.package_create(**learning_resource(org))
    site.action.package_create(**learning_resource(
        org, name="school-maths",
        title_translated={"en": "Primary school mathematics", "km": "គណិតវិទ្យាបឋមសិក្សា"},
        keywords={"en": ["mathematics"], "km": ["គណិតវិទ្យា"]}))
    return site


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSuggest:
    def test_khmer_two_characters_find_a_title(self, library):
        # សៀ: the first two characters of the Khmer title
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in titles(
            suggest(q="សៀ", lang="km"), "dataset")

    def test_khmer_prefix_of_a_word_inside_an_unspaced_title(self, library):
        # ការល្បាត is glued inside the title; its first two characters find it
        found = titles(suggest(q="ល្បា", lang="km"), "dataset")
        assert found == ["សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"]

    def test_khmer_coeng_da_spelling_matches_coeng_ta(self, library):
        # normalised on both sides
        assert titles(suggest(q="គណិ", lang="km"), "dataset") == ["គណិតវិទ្យាបឋមសិក្សា"]

    def test_english_prefix_any_case_any_word(self, library):
        assert titles(suggest(q="PaT", lang="en"), "dataset") == [
            "Community forest patrol handbook"]
        assert titles(suggest(q="school ma", lang="en"), "dataset") == [
            "Primary school mathematics"]
        assert titles(suggest(q="zz", lang="en")) == []

    def test_title_in_the_ui_language(self, library):
        en = suggest(q="pat", lang="en")
        km = suggest(q="pat", lang="km")
        assert titles(en, "dataset") == ["Community forest patrol handbook"]
        assert titles(km, "dataset") == ["សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"]
        assert en[0]["url"].endswith("/dataset/forest-patrol-handbook")

    def test_tags_in_both_scripts(self, library):
        assert "mathematics" in titles(suggest(q="mathe"), "tag")
        assert "គណិតវិទ្យា" in titles(suggest(q="គណ"), "tag")

    def test_themes_bilingual(self, library):
        env_en = [s for s in suggest(q="environ", lang="en") if s["type"] == "theme"]
        assert env_en and env_en[0]["name"] == "environment-nrm"
        km = env_en[0]
        km_title = [s for s in suggest(q="environ", lang="km")
                    if s["name"] == km["name"]][0]["title"]
        assert km_title != km["title"]
        # and the Khmer title finds it too
        assert km["name"] in [s["name"] for s in suggest(q=km_title[:2], limit=20)]

    def test_organisations_with_their_titles(self, org, library):
        found = [s for s in suggest(q=org["title"][:4]) if s["type"] == "organization"]
        assert [s["name"] for s in found] == [org["name"]]

    def test_limit(self, org, sysadmin, themes_created):
        site = LocalCKAN(username=sysadmin["name"])
        for i in range(6):
            site.action.package_create(**learning_resource(
                org, name=f"guide-{i}",
                title_translated={"en": f"Guide number {i}", "km": f"មគ្គុទ្ទេសក៍ {i}"}))
        assert len(suggest(q="guide", limit=3)) == 3
        assert len(suggest(q="guide", limit=20)) == 6

    @pytest.mark.parametrize("params", [
        {"q": ""}, {"q": "a"}, {"q": "   a  "}, {"q": "x" * 101}, {"q": "ab\x00"},
        {}, {"q": "ab", "limit": 0}, {"q": "ab", "limit": 21},
        {"q": "ab", "limit": "many"}, {"q": "ab", "lang": "fr"}])
    def test_bad_input_is_a_validation_error(self, params):
        with pytest.raises(tk.ValidationError):
            suggest(**params)

    def test_bad_input_over_http_is_409(self, app):
        for q in ("", "a", "x" * 5000, "ab\x00cd"):
            res = app.get("/api/3/action/learning_suggest", query_string={"q": q},
                          status=409)
            assert res.json["success"] is False
            # a NUL byte is refused before the action by the site's input check
            assert "q" in res.json["error"] or "\x00" in q

    def test_over_http(self, app, library):
        res = app.get("/api/3/action/learning_suggest",
                      query_string={"q": "សៀ", "lang": "km"})
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in titles(res.json["result"])


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestNoLeaks:
    SECRET = {"en": "Secret plan for zebra", "km": "ផែនការសម្ងាត់ហ្សេប្រា"}

    @pytest.mark.parametrize("change", [
        {"private": True}, {"state": "draft"}, {"state": "deleted"}])
    def test_hidden_title_never_suggested_to_a_visitor(self, org, sysadmin, change):
        site = LocalCKAN(username=sysadmin["name"])
        site.action.package_create(**learning_resource(
            org, name="open-zebra",
            title_translated={"en": "Open zebra guide", "km": "មគ្គុទ្ទេសក៍ហ្សេប្រា"}))
        visible = learning_resource(org, name="secret-zebra",
                                    title_translated=self.SECRET)
        created = site.action.package_create(**visible)
        # seen by the structure while public, then hidden
        assert "Secret plan for zebra" in titles(suggest(q="zeb", lang="en"))
        if change.get("state") == "deleted":
            site.action.package_delete(id=created["id"])
        else:
            site.action.package_patch(id=created["id"], **change)
        for q, lang in (("zeb", "en"), ("secr", "en"), ("ហ្សេ", "km"), ("ផែ", "km")):
            found = titles(suggest(q=q, lang=lang, limit=20))
            assert self.SECRET[lang] not in found, (change, q)
        assert "Open zebra guide" in titles(suggest(q="zeb", lang="en"))
        # the organisation's member still sees its private record
        if change == {"private": True}:
            assert "Secret plan for zebra" in titles(
                suggest(username=sysadmin["name"], q="zeb", lang="en"))

    def test_private_from_the_start_never_suggested(self, org, sysadmin):
        LocalCKAN(username=sysadmin["name"]).action.package_create(**learning_resource(
            org, name="secret-zebra", private=True, title_translated=self.SECRET))
        assert titles(suggest(q="zeb")) == []
        assert titles(suggest(q="ផែ")) == []
        member = factories.User()
        LocalCKAN().action.organization_member_create(
            id=org["id"], username=member["name"], role="member")
        assert titles(suggest(username=member["name"], q="zeb", lang="en")) == [
            "Secret plan for zebra"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created")
class TestView:
    def test_answers_and_refuses_like_the_action(self, app, org, sysadmin):
        LocalCKAN(username=sysadmin["name"]).action.package_create(**learning_resource(org))
        res = app.get("/api/3/action/learning_suggest", query_string={"q": "សៀ", "lang": "km"})
        assert "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍" in titles(res.json["result"])
        res = app.get("/api/3/action/learning_suggest", query_string={"q": "a"}, status=409)
        assert "q" in res.json["error"]

    def test_the_search_pages_carry_the_combobox(self, app):
        assert "suggest.js" in app.get("/dataset/").body
