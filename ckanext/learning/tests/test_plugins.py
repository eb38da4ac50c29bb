"""The three plugins: the search and the multilingual fields each work on a
stock CKAN 2.12 portal without the rest; the library says at start-up what
it lacks."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from click.testing import CliRunner

from ckanext.learning.cli import learning as learning_commands
from ckanext.learning.plugin import LearningPlugin


def search(**params):
    return helpers.call_action("package_search", {"ignore_auth": True}, **params)


@pytest.mark.ckan_config("ckan.plugins", "learning_search")
@pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", True)
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSearchAlone:
    """What a CSO portal gets from ``ckan.plugins = learning_search``."""

    def test_stock_datasets_are_indexed_and_found(self):
        assert not p.plugin_loaded("learning")
        org = factories.Organization()
        factories.Dataset(name="unowned", title="Community forestry handbook")
        factories.Dataset(name="owned", title="Water quality report", owner_org=org["id"],
                          tags=[{"name": "water"}])
        assert sorted(r["name"] for r in search()["results"]) == ["owned", "unowned"]
        assert [r["name"] for r in search(q="handbooks")["results"]] == ["unowned"]
        facets = search(**{"facet.field": '["tags", "organization"]'})["facets"]
        assert facets == {"tags": {"water": 1}, "organization": {org["name"]: 1}}

    def test_private_datasets_only_for_their_organisation(self):
        member = factories.User()
        org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
        factories.Dataset(name="internal", owner_org=org["id"], private=True)
        outsider = factories.User()
        def as_user(user):  # call_action ignores auth unless told not to
            return helpers.call_action("package_search",
                                       {"user": user["name"], "ignore_auth": False},
                                       include_private=True)

        assert [r["name"] for r in as_user(member)["results"]] == ["internal"]
        assert as_user(outsider)["count"] == 0

    def test_khmer_words_inside_unspaced_text(self):
        factories.Dataset(name="km", title="សៀវភៅណែនាំការអប់រំបរិស្ថាន",
                          notes="ឯកសារសម្រាប់គ្រូបង្រៀន")
        assert search(q="ការអប់រំ")["count"] == 1
        assert search(q="គ្រូបង្រៀន")["count"] == 1
        assert search(q="ទឹកដី")["count"] == 0

    def test_a_broken_query_is_a_409_with_the_reason(self, app):
        response = app.get("/api/3/action/package_search", query_string={"q": "title:(x"},
                           status=409)
        assert response.json["error"]["__type"] == "Search Error"
        assert "unmatched parenthesis" in response.json["error"]["message"]

    def test_only_the_search_commands(self):
        # the group itself (``ckan`` would reload test.ini's plugin list)
        runner = CliRunner()
        listed = runner.invoke(learning_commands, ["--help"])
        assert listed.exit_code == 0, listed.output
        assert "reindex" in listed.output
        assert "init" not in listed.output
        assert runner.invoke(learning_commands, ["init"]).exit_code != 0


@pytest.mark.ckan_config("ckan.plugins", "learning_search scheming_datasets")
@pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.scheming:ckan_dataset.yaml")
@pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", True)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_search_alone_with_scheming_default_schema():
    org = factories.Organization()
    helpers.call_action("package_create", {"ignore_auth": True}, name="scheming-one",
                        title="Teacher training notes", owner_org=org["id"],
                        notes="For primary schools")
    assert [r["name"] for r in search(q="teachers")["results"]] == ["scheming-one"]


@pytest.mark.ckan_config("ckan.plugins", "learning_fluent scheming_datasets")
@pytest.mark.usefixtures("with_plugins")
def test_fluent_alone_registers_its_validators_and_helpers():
    assert not p.plugin_loaded("learning")
    for name in ("fluent_text", "fluent_tags", "fluent_core_translated_output"):
        assert callable(tk.get_validator(name))
    assert callable(tk.h.fluent_form_languages)


class TestLibraryNeedsTheOthers:
    @pytest.mark.ckan_config("ckan.plugins", "learning_search scheming_datasets")
    @pytest.mark.usefixtures("with_plugins")
    def test_missing_plugins_are_named_at_start_up(self):
        with pytest.raises(RuntimeError) as raised:
            LearningPlugin().configure(tk.config)
        message = str(raised.value)
        assert "learning_fluent" in message
        assert "learning_search" not in message.split("e.g.")[0]
        assert "ckan.plugins" in message

    @pytest.mark.usefixtures("with_plugins")
    def test_nothing_to_say_when_all_are_loaded(self):
        LearningPlugin().configure(tk.config)
