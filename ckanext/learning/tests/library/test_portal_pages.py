"""The pages people meet first: home, About, header and footer, in both
languages, with the library's words and its own logo, never CKAN's
placeholders."""
from __future__ import annotations

import re
import xml.dom.minidom
from importlib import resources

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.themes.catalogue import themes

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "themes_created"),
              pytest.mark.ckan_config("ckan.site_title", "Learning Platform"),
              pytest.mark.ckan_config(
                  "ckan.site_description",
                  "Open Development Cambodia's Khmer and English library of CSO "
                  "learning resources")]

#: What stock CKAN shows on these pages.
PLACEHOLDERS = ("Welcome to CKAN", "This is a featured section", "420 x 220",
                "data.gov.uk", "Powered by", "CKAN API", "CKAN Association",
                "ckan-footer-logo", "placeholder-group", "placeholder-organization")

KHMER = re.compile(r"[\u1780-\u17ff]")


def publish(org, name, **fields):
    LocalCKAN().action.package_create(**learning_resource(org, name, **fields))


@pytest.fixture
def library(org):
    """Two published resources: a report on two themes, a video."""
    publish(org, "forest-report", resource_type="report",
            themes=["environment-nrm", "civil-society"])
    publish(org, "patrol-video", resource_type="video", themes=["environment-nrm"],
            title_translated={"en": "Patrol video", "km": "វីដេអូការល្បាត"},
            resources=[{"url": "https://www.youtube.com/watch?v=abc", "format": "MP4"}])


def strip(body: str) -> str:
    return re.sub(r"\s+", " ", body)


class TestHome:
    def test_khmer_home_is_the_library(self, app, library):
        body = strip(app.get("/km/").body)
        assert "<title>ទំព័រដើម - វេទិកាសិក្សា</title>" in body
        for placeholder in PLACEHOLDERS:
            assert placeholder not in body
        assert 'src="/learning/logo.svg"' in body
        # the search box searches resources
        assert re.search(r'<form class="learning-hero-search" action="/km/dataset/"', body)
        assert 'name="q"' in body
        # the nine themes, in Khmer, with their icons and live counts
        for theme in themes():
            assert theme["title_km"] in body
            assert f"/learning/themes/{theme['name']}.svg" in body
        assert "/uploads/group/" not in body
        environment = body.index("បរិស្ថាន និងការគ្រប់គ្រងធនធានធម្មជាតិ")
        assert re.match(r".{0,200}?ធនធាន 2</span>", body[environment:])
        education = body.index("learning-theme-title\">ការអប់រំ")
        assert re.match(r".{0,200}?ធនធាន 0</span>", body[education:])
        # newest resources and the types, in Khmer
        assert "វីដេអូការល្បាត" in body
        assert "របាយការណ៍" in body and "វីដេអូ" in body
        assert "resource_type=video" in body
        # about, how to contribute, credits
        assert 'href="/km/about"' in body and 'href="/km/contribute"' in body
        assert "អូផិនដេវេឡុបមិនខេមបូឌា" in body
        assert "គម្រោងគាំទ្រសង្គមស៊ីវិល" in body

    def test_english_home(self, app, library):
        body = strip(app.get("/").body)
        assert "<title>Home - Learning Platform</title>" in body
        assert "Environment &amp; Natural Resource Management" in body
        assert "Civil Society Support (CSS) project" in body
        assert "Browse all 2 resources" in body
        assert not KHMER.search(re.sub(r'<[^>]*lang="km"[^>]*>[^<]*<', "", body))

    def test_the_youtube_link_is_no_mp4(self, app, library):
        body = app.get("/dataset/").body
        assert 'data-format="youtube">YouTube<' in body
        assert ">MP4<" not in body


class TestHeaderAndFooter:
    @pytest.mark.parametrize("url", ["/km/", "/km/dataset/", "/km/group/", "/km/about",
                                     "/km/contribute", "/km/organization/"])
    def test_every_page_switches_language_in_its_header(self, app, url):
        body = app.get(url).body
        header = body[body.index("account-masthead"):body.index("</header>")]
        # the page in English, named in English; Khmer marked as the current one
        english = url.replace("/km/", "/en/", 1)
        assert f'<a href="{english}" lang="en" hreflang="en">English</a>' in header
        assert 'lang="km" aria-current="true">ខ្មែរ</span>' in header
        # the library's words in the navigation
        for word in ("ធនធាន", "ប្រធានបទ", "អង្គការ", "អំពី", "ចូលរួមចំណែក"):
            assert f">{word}</a>" in header

    def test_english_page_offers_khmer(self, app):
        body = app.get("/group/").body
        assert '<a href="/km/group/" lang="km" hreflang="km">ខ្មែរ</a>' in body
        assert ">Themes</a>" in body and ">Resources</a>" in body

    def test_footer_is_ours(self, app):
        body = app.get("/km/about").body
        footer = body[body.index('<footer class="site-footer">'):]
        for placeholder in PLACEHOLDERS:
            assert placeholder not in footer
        assert "opendevelopmentcambodia.net" in footer
        assert "learning-footer" in footer


class TestAbout:
    def test_about_is_written_for_the_platform(self, app):
        body = strip(app.get("/about").body)
        assert "<title>About the platform - Learning Platform</title>" in body
        assert "data.gov.uk" not in body and "CKAN is" not in body
        assert "Civil Society Support (CSS) project" in body
        assert "Creative Commons Attribution 4.0" in body
        assert 'href="/group/education"' in body

    def test_about_in_khmer(self, app):
        body = strip(app.get("/km/about").body)
        assert "អំពីវេទិកាសិក្សា" in body
        assert "អាជ្ញាប័ណ្ណ Creative Commons Attribution 4.0" in body

    def test_a_sysadmins_about_text_still_wins(self, app):
        LocalCKAN().action.config_option_update(**{"ckan.site_about": "Our own words"})
        try:
            assert "Our own words" in app.get("/about").body
        finally:
            LocalCKAN().action.config_option_update(**{"ckan.site_about": ""})


def test_logo_and_theme_icons_are_valid_svg(app):
    public = resources.files("ckanext.learning").joinpath("public", "learning")
    files = [public / "logo.svg", *((public / "themes" / f"{t['name']}.svg")
                                    for t in themes())]
    for path in files:
        xml.dom.minidom.parseString(path.read_bytes())  # a stray & breaks an icon
    response = app.get("/learning/logo.svg")
    assert response.headers["Content-Type"].startswith("image/svg+xml")


def test_reviewer_sees_the_review_queue_in_the_header(app, org):
    reviewer = factories.Sysadmin()
    token = factories.APIToken(user=reviewer["name"])["token"]
    body = app.get("/km/", headers={"Authorization": token}).body
    assert "/learning/review" in body
