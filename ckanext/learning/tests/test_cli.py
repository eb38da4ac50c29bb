"""``ckan learning init``: what ``make run`` builds a portal with."""
from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckanapi import LocalCKAN

from ckanext.learning.tests.workflow.conftest import api


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.ckan_config("ckanext.learning.review.notify", False)
def test_init_builds_themes_demo_content_and_submissions_once(cli):
    first = cli.invoke(ckan, ["learning", "init"])
    assert first.exit_code == 0, first.output
    assert "Theme groups: 9 created" in first.output
    assert "Khmer web font:" in first.output and "(WOFF2)" in first.output
    site = LocalCKAN()
    assert len(site.action.group_list()) == 9
    public = api().action.package_search(rows=0)["count"]
    assert public >= 25
    queue = api({"name": "admin"}).action.learning_review_queue()
    assert [e["name"] for e in queue] == ["forest-patrol-toolkit-draft"]
    sokha = api({"name": "sokha"}).action.learning_my_submissions()
    assert {(s["name"], s["status"]) for s in sokha if s["status"] != "published"} == {
        ("forest-patrol-toolkit-draft", "pending"),
        ("stung-treng-river-case-study-draft", "returned")}
    again = cli.invoke(ckan, ["learning", "init"])
    assert again.exit_code == 0, again.output
    assert "0 created" in again.output
    assert api().action.package_search(rows=0)["count"] == public


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "themes_created")
def test_sync_themes_brings_back_groups_and_keyword_tags(cli, org):
    import ckan.model as model
    import sqlalchemy as sa
    from ckan.tests import helpers

    from ckanext.learning.tests.resources import learning_resource

    helpers.call_action("package_create", **learning_resource(
        org, keywords={"en": ["patrol"], "km": ["ព្រៃឈើ"]}))
    # data from before keyword tags, or groups edited by hand
    package_id = model.Package.get("forest-patrol-handbook").id
    model.Session.execute(sa.text("DELETE FROM package_tag WHERE package_id = :id; "
                                  "DELETE FROM member WHERE table_id = :id"),
                          {"id": package_id})
    model.Session.commit()
    model.Session.remove()
    shown = helpers.call_action("package_show", context={"use_cache": False}, id=package_id)
    assert shown["tags"] == [] and shown["groups"] == []
    done = cli.invoke(ckan, ["learning", "sync-themes"])
    assert done.exit_code == 0, done.output
    model.Session.remove()
    shown = helpers.call_action("package_show", id="forest-patrol-handbook")
    assert sorted(t["name"] for t in shown["tags"]) == ["patrol", "ព្រៃឈើ"]
    assert [g["name"] for g in shown["groups"]] == ["environment-nrm"]
