"""The nine theme icons answer 200 wherever the portal names them: the
pages (from the page's host) and the API (``image_url`` and
``image_display_url`` of group_show, group_list and a record's groups)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from ckan.tests import factories, helpers
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.themes.catalogue import create_themes, themes

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "themes_created")


def _answers_svg(app, url):
    response = app.get(urlsplit(url).path, status=200)
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.body.lstrip().startswith("<svg") or "<svg" in response.body[:300]


def test_group_show_and_group_list_name_icons_that_answer(app, ckan_config):
    site = ckan_config["ckan.site_url"]
    listed = {g["name"]: g for g in LocalCKAN().action.group_list(all_fields=True)}
    assert len(listed) == 9
    for theme in themes():
        shown = LocalCKAN().action.group_show(id=theme["name"])
        wanted = f"{site}/learning/themes/{theme['name']}.svg"
        assert shown["image_url"] == shown["image_display_url"] == wanted
        assert listed[theme["name"]]["image_display_url"] == wanted
        assert "/uploads/" not in shown["image_display_url"]
        _answers_svg(app, wanted)


def test_a_records_groups_carry_the_icons_too(app, org):
    record = LocalCKAN().action.package_create(**learning_resource(org))
    (group,) = helpers.call_action("package_show", id=record["id"])["groups"]
    assert group["image_display_url"].endswith("/learning/themes/environment-nrm.svg")
    _answers_svg(app, group["image_display_url"])


def test_pages_show_the_icons_from_their_own_host(app):
    body = app.get("/group/").body
    for theme in themes():
        assert f'src="/learning/themes/{theme["name"]}.svg"' in body
    assert "test.ckan.net/learning/themes" not in body


def test_init_points_old_addresses_at_this_portal(ckan_config):
    ckan_api = LocalCKAN().action
    ckan_api.group_patch(id="journalism", image_url="/learning/themes/journalism.svg")
    ckan_api.group_patch(id="education",
                         image_url="http://old-host.example/learning/themes/education.svg")
    ckan_api.group_patch(id="gender-social-inclusion", image_url="my-own-picture.png")
    report = create_themes()
    assert (report.created, report.kept, report.updated) == (0, 9, 2)
    site = ckan_config["ckan.site_url"]
    assert ckan_api.group_show(id="journalism")["image_url"] == (
        f"{site}/learning/themes/journalism.svg")
    assert ckan_api.group_show(id="education")["image_url"] == (
        f"{site}/learning/themes/education.svg")
    # an image a sysadmin chose is theirs
    assert ckan_api.group_show(id="gender-social-inclusion")["image_url"] == (
        "my-own-picture.png")
    assert create_themes().updated == 0


def test_a_group_that_is_no_theme_keeps_core_behaviour(app):
    group = factories.Group(name="other-group", image_url="https://example.org/x.png")
    assert LocalCKAN().action.group_show(id=group["name"])["image_display_url"] == (
        "https://example.org/x.png")
