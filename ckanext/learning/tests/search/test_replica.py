"""Searches read from a real PostgreSQL streaming replica (search/replica.py).

The module starts a throwaway primary cluster and a hot standby streaming
from it (``pg_createcluster``, ``pg_basebackup -R``), copies the clean test
database onto the primary before the standby is cloned, and points the
portal at the primary (``sqlalchemy.url``) and the standby
(``ckanext.learning.search.read_url``).  Pausing the standby's replay makes
it lag for as long as a test wants: what it answers is then visibly older
than the primary.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.tests import factories

from ckanext.learning.search import replica
from ckanext.learning.search.backend import postings as postings_module

# pg_createcluster comes with Debian's postgresql package, which `make test`
# installs (bin/ensure-services): no skip, a missing one fails here, loudly.

VERSION = "15"
READ_URL = "ckanext.learning.search.read_url"
CONF = """
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = on
"""
HBA = """local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def _run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd="/")
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")
    return done.stdout


def _free_port(preferred: int) -> int:
    for port in range(preferred, preferred + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        if not os.path.exists(f"/var/run/postgresql/.s.PGSQL.{port}"):
            return port
    raise RuntimeError("no free port")


class Cluster:
    def __init__(self, name: str, port: int) -> None:
        self.name, self.port = name, port
        self.conf = f"/etc/postgresql/{VERSION}/{name}"
        self.data = f"/var/lib/postgresql/{VERSION}/{name}"

    def create(self) -> None:
        _run("pg_createcluster", VERSION, self.name, "--port", str(self.port))
        with open(os.path.join(self.conf, "postgresql.conf"), "a") as f:
            f.write(CONF)
        with open(os.path.join(self.conf, "pg_hba.conf"), "w") as f:
            f.write(HBA)

    def ctl(self, action: str) -> None:
        _run("pg_ctlcluster", VERSION, self.name, action, *(
            ["-m", "fast"] if action == "stop" else []))

    def drop(self) -> None:
        subprocess.run(["pg_dropcluster", "--stop", VERSION, self.name],
                       capture_output=True, timeout=60)

    def url(self, db: str = "ckan", user: str = "ckan_default") -> str:
        return f"postgresql://{user}:ckan_default@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "postgres"):
        engine = sa.create_engine(self.url(db, "postgres"), poolclass=sa.pool.NullPool,
                                  isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(sa.text(statement))
                return result.all() if result.returns_rows else []
        finally:
            engine.dispose()


def _wait(what: str, check, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def pair(reset_db, reset_index):
    """(primary, replica): streaming, with the clean test database."""
    reset_db()
    reset_index()
    model.Session.remove()
    tag = f"{os.getpid()}"
    primary = Cluster(f"learning_primary_{tag}", _free_port(5451))
    primary.create()
    standby = None
    try:
        primary.ctl("start")
        primary.sql("CREATE ROLE ckan_default LOGIN PASSWORD 'ckan_default'")
        primary.sql("CREATE DATABASE ckan OWNER ckan_default ENCODING 'UTF8' "
                    "TEMPLATE template0")
        source = model.meta.engine.url
        dump = subprocess.run(
            ["pg_dump", "-h", source.host or "127.0.0.1", "-p", str(source.port or 5432),
             "-U", "postgres", "-d", source.database],
            check=True, capture_output=True, timeout=60).stdout
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", str(primary.port),
                        "-U", "postgres", "-d", "ckan", "-v", "ON_ERROR_STOP=1"],
                       input=dump, check=True, capture_output=True, timeout=60)
        standby = Cluster(f"learning_replica_{tag}", _free_port(primary.port + 1))
        standby.create()
        for entry in os.scandir(standby.data):  # the clone goes in its place
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        _run("runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1",
             "-p", str(primary.port), "-U", "postgres", "-D", standby.data,
             "-R", "-X", "stream", "-c", "fast")
        standby.ctl("start")
        _wait("streaming", lambda: primary.sql(
            "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'"))
        yield primary, standby
    finally:
        if standby is not None:
            standby.drop()
        primary.drop()


@pytest.fixture
def portal(pair, app, ckan_config, monkeypatch):
    """The app on the primary, reading from the replica, fresh postings."""
    primary, standby = pair
    old = model.meta.engine
    engine = sa.create_engine(primary.url(), pool_pre_ping=True)
    model.Session.remove()
    model.Session.configure(bind=engine)
    model.meta.engine = engine
    monkeypatch.setitem(ckan_config, READ_URL, standby.url())
    monkeypatch.setattr(postings_module, "_postings", postings_module.Postings())
    replica.reset()
    try:
        yield primary, standby
    finally:
        if _online(standby):
            standby.sql("SELECT pg_wal_replay_resume()")
        model.Session.remove()
        model.Session.configure(bind=old)
        model.meta.engine = old
        engine.dispose()
        replica.reset()


def _online(cluster: Cluster) -> bool:
    try:
        cluster.sql("SELECT 1")
        return True
    except sa.exc.OperationalError:
        return False


def _caught_up(primary: Cluster, standby: Cluster) -> None:
    (lsn,), = primary.sql("SELECT pg_current_wal_lsn()")
    _wait("replay", lambda: standby.sql(
        f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0][0])


def _pause(standby: Cluster) -> None:
    standby.sql("SELECT pg_wal_replay_pause()")
    _wait("pause", lambda: standby.sql(
        "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused")


def _user_with_token(name: str) -> tuple[dict, str]:
    user = factories.User(name=name)
    return user, factories.APIToken(user=user["name"])["token"]


def _create(app, token: str, org: dict, name: str, title: str) -> None:
    resp = app.post("/api/3/action/package_create", headers={"Authorization": token},
                    json={"name": name, "title": title, "owner_org": org["id"]})
    assert resp.status_code == 200, resp.body


def _found(app, q: str, token: str | None = None) -> list[str]:
    headers = {"Authorization": token} if token else {}
    # records start private (under review): their editors find them
    resp = app.get("/api/3/action/package_search",
                   params={"q": q, "include_private": True}, headers=headers)
    assert resp.status_code == 200, resp.body
    return sorted(d["name"] for d in resp.json["result"]["results"])


def test_searches_come_from_the_replica_and_users_see_their_own_writes(app, portal):
    primary, standby = portal
    alice, alice_token = _user_with_token("alice-replica")
    bob, bob_token = _user_with_token("bob-replica")
    org = factories.Organization(users=[{"name": alice["name"], "capacity": "editor"},
                                        {"name": bob["name"], "capacity": "editor"}])
    _caught_up(primary, standby)

    _pause(standby)
    _create(app, alice_token, org, "harbour-survey", "Lagging harbour survey")
    # alice's own write: the replica lags it, the primary answers (postings
    # path and SQL path alike)
    assert _found(app, "harbour", alice_token) == ["harbour-survey"]
    assert _found(app, "harb*", alice_token) == ["harbour-survey"]
    # everyone else reads the paused replica: that proves who answers
    assert _found(app, "harbour", bob_token) == []
    assert _found(app, "harb*", bob_token) == []
    # the word search came from postings read on the replica
    shared = postings_module.postings()
    assert shared.loaded and f"127.0.0.1:{standby.port}/" in (shared.source or "")
    assert standby.sql("SELECT count(*) FROM pg_stat_activity "
                       "WHERE application_name = 'ckanext-learning search'")[0][0] >= 1

    standby.sql("SELECT pg_wal_replay_resume()")
    _caught_up(primary, standby)
    assert _found(app, "harbour", bob_token) == ["harbour-survey"]

    # caught up with alice's write, the replica answers alice again: a write
    # of bob's it has not replayed is not in her results, but is in his
    _pause(standby)
    _create(app, bob_token, org, "orchard-census", "Lagging orchard census")
    assert _found(app, "lagging", alice_token) == ["harbour-survey"]
    assert _found(app, "lagging", bob_token) == ["harbour-survey", "orchard-census"]
    assert _found(app, "lag*", bob_token) == ["harbour-survey", "orchard-census"]
    # an update of bob's, seen at once by him
    resp = app.post("/api/3/action/package_patch", headers={"Authorization": bob_token},
                    json={"id": "orchard-census", "title": "Orchard census, mangoes"})
    assert resp.status_code == 200, resp.body
    assert _found(app, "mangoes", bob_token) == ["orchard-census"]
    assert _found(app, "mangoes", alice_token) == []

    # a malformed query is the user's error on the replica too
    resp = app.get("/api/3/action/package_search", params={"q": "title:[a TO"},
                   headers={"Authorization": alice_token})
    assert resp.status_code == 409
    standby.sql("SELECT pg_wal_replay_resume()")
    _caught_up(primary, standby)
    assert _found(app, "mangoes", alice_token) == ["orchard-census"]


def test_a_transaction_that_has_written_searches_on_the_primary(app, portal):
    import ckan.plugins.toolkit as tk

    admin = factories.Sysadmin()
    org = factories.Organization()
    context = {"user": admin["name"], "defer_commit": True}
    tk.get_action("package_create")(context, {
        "name": "uncommitted-ferry", "title": "Uncommitted ferry timetable",
        "owner_org": org["id"]})
    # a deferred commit defers core's indexing too: indexed here, uncommitted
    model.Session.flush()
    from ckan import logic

    logic.index_update_package({}, "uncommitted-ferry", defer_commit=True)
    try:
        # its own rows are not committed: only the primary's transaction has them
        found = tk.get_action("package_search")(
            {"user": admin["name"]}, {"q": "ferry", "include_private": True})
        assert [d["name"] for d in found["results"]] == ["uncommitted-ferry"]
    finally:
        model.Session.rollback()
    found = tk.get_action("package_search")(
        {"user": admin["name"]}, {"q": "ferry", "include_private": True})
    assert found["count"] == 0


def test_a_stopped_replica_leaves_the_primary_answering(app, portal, caplog):
    primary, standby = portal
    caplog.set_level(logging.WARNING, logger=replica.__name__)
    admin = factories.SysadminWithToken()
    org = factories.Organization()
    factories.Dataset(name="river-levels", title="River levels", owner_org=org["id"])
    _caught_up(primary, standby)
    assert _found(app, "river", admin["token"]) == ["river-levels"]
    standby.ctl("stop")
    try:
        factories.Dataset(name="river-boats", title="River boats", owner_org=org["id"])
        for q in ("river", "riv*"):
            assert _found(app, q, admin["token"]) == ["river-boats", "river-levels"]
        records = [r for r in caplog.records if r.name == replica.__name__]
        assert len(records) == 1 and records[0].exc_info is None, records
        assert "replica unavailable" in records[0].getMessage()
    finally:
        standby.ctl("start")
