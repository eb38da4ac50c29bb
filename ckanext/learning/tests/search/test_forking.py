"""Forked workers (core's ``search-index rebuild-fast``, ``learning reindex``)
talk to PostgreSQL over connections of their own."""
from __future__ import annotations

import multiprocessing

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers


def backend_pid() -> int:
    return model.Session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _report_pid(pipe) -> None:
    pipe.send(backend_pid())
    pipe.close()


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestForkedProcesses:
    def test_a_child_does_not_share_the_parents_connection(self):
        in_transaction = backend_pid()  # the session now holds a connection
        model.Session.execute(sa.text("CREATE TEMP TABLE parent_only (x int)"))
        parent_end, child_end = multiprocessing.Pipe()
        child = multiprocessing.get_context("fork").Process(target=_report_pid,
                                                            args=(child_end,))
        child.start()
        child_pid = parent_end.recv()
        child.join()
        assert child.exitcode == 0
        assert child_pid != in_transaction
        # the child left the parent's transaction alone
        assert backend_pid() == in_transaction
        assert model.Session.execute(sa.text("SELECT count(*) FROM parent_only")).scalar() == 0
        model.Session.rollback()

    def test_core_rebuild_fast_indexes_every_dataset(self, cli, org):
        made = [factories.Dataset(owner_org=org["id"], title=f"Fisheries note {i}")
                for i in range(6)]
        model.Session.execute(sa.text("DELETE FROM learning_search_index"))
        model.Session.commit()
        assert helpers.call_action("package_search", q="fisheries")["count"] == 0

        result = cli.invoke(ckan, ["search-index", "rebuild-fast"])

        assert result.exit_code == 0, result.output
        found = helpers.call_action("package_search", q="fisheries", rows=10)
        assert sorted(d["id"] for d in found["results"]) == sorted(d["id"] for d in made)
