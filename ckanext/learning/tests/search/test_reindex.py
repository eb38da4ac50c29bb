"""``ckan learning reindex``: core's per-dataset indexing, on every core."""
from __future__ import annotations

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.learning.search import reindex


def count(q: str) -> int:
    return helpers.call_action("package_search", q=q)["count"]


@pytest.fixture
def unindexed(org):
    """Three datasets whose index rows are gone."""
    made = [factories.Dataset(owner_org=org["id"], title=f"Mangrove guide {i}",
                              notes="ការការពារព្រៃកោងកាង") for i in range(3)]
    model.Session.execute(sa.text("DELETE FROM learning_search_index"))
    model.Session.commit()
    assert count("mangrove") == 0
    return made


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestReindex:
    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_every_dataset_is_indexed_again(self, cli, unindexed, jobs, monkeypatch):
        monkeypatch.setattr(reindex, "BATCH", 1)  # so that two workers fork
        result = cli.invoke(ckan, ["learning", "reindex", "--jobs", jobs])
        assert result.exit_code == 0, result.output
        assert "Indexed 3 datasets" in result.output
        assert count("mangrove") == 3
        assert count("កោងកាង") == 3

    def test_only_what_a_search_matches(self, cli, org):
        wanted = factories.Dataset(owner_org=org["id"], title="Seagrass survey")
        factories.Dataset(owner_org=org["id"], title="Radio programme")
        result = cli.invoke(ckan, ["learning", "reindex", "--search", "seagrass"])
        assert result.exit_code == 0, result.output
        assert "Indexed 1 datasets" in result.output
        assert reindex.matching_ids("seagrass") == [wanted["id"]]
