"""The portal while PostgreSQL is down or frozen (security/database.py).

The portal's engine is pointed, for each test, at a TCP relay to the real
PostgreSQL that can cut every connection and refuse new ones ("down") or
accept them and never answer ("frozen"), then recover."""
from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.learning.security import database


class Relay:
    """127.0.0.1:<port> relayed to PostgreSQL, in one of three modes."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.mode = "up"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.held: list[socket.socket] = []
        self.paused = False
        self.cut_on: bytes | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "down":
                client.close()
            elif self.mode == "frozen":
                self.held.append(client)  # connected, never answered
            else:
                server = socket.create_connection(self.target)
                self.sockets += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, a, b):
        try:
            while data := a.recv(65536):
                while self.paused:  # held, as a frozen server holds it
                    time.sleep(0.05)
                if self.cut_on is not None and self.cut_on in data:
                    self.cut("down")  # the server dies under this statement
                    return
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self, mode):
        """Every open connection dropped; new ones refused or held."""
        self.mode = mode
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets = []

    def freeze_open(self):
        """Open connections stay open but nothing passes (a stopped server)."""
        self.mode = "frozen"
        self.paused = True

    def restore(self):
        self.mode = "up"
        self.paused = False
        for s in self.held:
            s.close()
        self.held = []

    def close(self):
        self.cut("down")
        self.listener.close()


@pytest.fixture
def relay(app):
    """The portal's engine goes through a relay for the test."""
    relay = Relay()
    old = model.meta.engine
    url = old.url.set(host="127.0.0.1", port=relay.port)
    engine = sa.create_engine(url, pool_pre_ping=True)
    model.meta.Session.remove()
    model.meta.Session.configure(bind=engine)
    model.meta.engine = engine
    yield relay
    model.meta.Session.remove()
    model.meta.Session.configure(bind=old)
    model.meta.engine = old
    engine.dispose()
    relay.close()


def _get(app, url, **kwargs):
    began = time.perf_counter()
    resp = app.get(url, **kwargs)
    return resp, time.perf_counter() - began


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.learning.database.connect_timeout", 1)
@pytest.mark.ckan_config("ckanext.learning.database.retry_after", 17)
class TestDatabaseDown:
    def test_api_answers_json_503_and_recovers(self, app, relay, caplog):
        caplog.set_level(logging.WARNING, logger=database.__name__)
        assert app.get("/api/3/action/package_list").status_code == 200
        relay.cut("down")
        resp, _ = _get(app, "/api/3/action/package_list")
        assert resp.status_code == 503
        assert resp.headers["Retry-After"] == "17"
        assert resp.json["success"] is False
        assert resp.json["error"]["__type"] == "Service Unavailable"
        # one line in the log, no traceback
        records = [r for r in caplog.records if r.name == database.__name__]
        assert len(records) == 1 and records[0].exc_info is None
        relay.restore()
        assert app.get("/api/3/action/package_list").status_code == 200

    def test_database_lost_inside_an_action_is_a_503_not_core_s_500(self, app, relay,
                                                                    caplog):
        """Core's API view catches an action's exception itself (500)."""
        caplog.set_level(logging.INFO)
        relay.cut_on = b"FROM package"
        resp = app.get("/api/3/action/package_list")
        assert resp.status_code == 503, resp.body[:300]
        assert resp.json["error"]["__type"] == "Service Unavailable"
        assert resp.headers["Retry-After"] == "17"
        assert "frame-ancestors" in resp.headers["Content-Security-Policy"]
        assert not [r for r in caplog.records if r.exc_info], "no traceback logged"
        relay.cut_on = None
        relay.restore()
        assert app.get("/api/3/action/package_list").status_code == 200

    def test_api_with_a_token_answers_json_503(self, app, relay):
        relay.cut("down")
        resp = app.get("/api/3/action/package_list",
                       headers={"Authorization": "not-a-real-token"})
        assert resp.status_code == 503
        assert resp.json["error"]["__type"] == "Service Unavailable"

    def test_page_is_a_short_503_in_the_visitors_language(self, app, relay):
        relay.cut("down")
        english, _ = _get(app, "/dataset/")
        khmer, _ = _get(app, "/km/dataset/")
        assert english.status_code == khmer.status_code == 503
        assert "unavailable for a moment" in english.body
        assert 'lang="km"' in khmer.body
        assert "unavailable for a moment" not in khmer.body
        assert "Traceback" not in english.body + khmer.body
        # the hardening's headers are still there
        assert "frame-ancestors 'none'" in english.headers["Content-Security-Policy"]

    def test_frozen_database_answers_within_the_connect_timeout(self, app, relay):
        relay.cut("frozen")
        model.meta.engine.dispose()  # a worker with no pooled connection yet
        resp, seconds = _get(app, "/api/3/action/package_list")
        assert resp.status_code == 503
        assert seconds < 4, seconds
        relay.restore()
        assert app.get("/api/3/action/package_list").status_code == 200

    @pytest.mark.ckan_config("ckanext.learning.database.statement_timeout", 1000)
    def test_frozen_database_with_pooled_connections_answers_503(self, app, relay):
        """A connection opened before the freeze stays open and silent."""
        assert app.get("/api/3/action/package_list").status_code == 200
        relay.freeze_open()
        resp, seconds = _get(app, "/api/3/action/package_list")
        assert resp.status_code == 503
        assert seconds < 1.0 + database.ANSWER_GRACE + 1.5, seconds
        relay.restore()
        assert app.get("/api/3/action/package_list").status_code == 200

    @pytest.mark.ckan_config("ckanext.learning.database.statement_timeout", 3000)
    def test_once_frozen_is_seen_the_next_requests_are_503s_at_once(self, app, relay,
                                                                    monkeypatch):
        monkeypatch.setattr(database, "_suspect_until", 0.0)
        assert app.get("/api/3/action/package_list").status_code == 200
        relay.freeze_open()
        first, first_seconds = _get(app, "/api/3/action/package_list")
        assert first.status_code == 503 and first_seconds >= 3
        model.meta.engine.dispose()  # the next request's connection is a new one
        nxt, seconds = _get(app, "/api/3/action/package_list")
        assert nxt.status_code == 503
        assert seconds < database.SUSPECT_LIMIT + 1.0, seconds
        relay.restore()
        assert app.get("/api/3/action/package_list").status_code == 200

    def test_outside_requests_statements_wait_as_long_as_they_take(self, relay):
        # the deadline is the web request's; a CLI or job keeps none
        with model.meta.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_sleep(1.5), 1")).all()[0][1] == 1


@pytest.mark.usefixtures("clean_db")
class TestTimeouts:
    def test_connections_carry_the_connect_timeout(self):
        model.meta.engine.dispose()
        with model.meta.engine.connect() as conn:
            dsn = conn.connection.dbapi_connection.dsn
        assert "connect_timeout=5" in dsn

    @pytest.mark.ckan_config("ckanext.learning.database.statement_timeout", 1234)
    def test_web_requests_have_a_statement_timeout(self, app):
        seen = {}

        def show(*args):
            seen["timeout"] = model.Session.execute(
                sa.text("SHOW statement_timeout")).scalar()
            return {}

        with app.flask_app.test_request_context():
            show()
        assert seen["timeout"] == "1234ms"
        model.Session.remove()
        # outside a request (CLI, jobs) there is none
        assert model.Session.execute(sa.text("SHOW statement_timeout")).scalar() == "0"

    @pytest.mark.ckan_config("ckanext.learning.database.statement_timeout", 500)
    def test_a_long_read_in_a_request_has_no_deadline(self, app):
        """Loading the postings reads the whole index in the first search of
        a worker (12 s and more at 100,000 datasets): no deadline for it."""
        from ckanext.learning.search.long_reads import long_read

        with app.flask_app.test_request_context():
            with model.meta.engine.connect() as conn, pytest.raises(sa.exc.OperationalError):
                conn.execute(sa.text("SELECT pg_sleep(3)"))  # past 0.5 s + grace
            with long_read(), model.meta.engine.connect() as conn:
                assert conn.execute(sa.text("SELECT pg_sleep(3), 1")).all()[0][1] == 1

    @pytest.mark.ckan_config("ckanext.learning.database.statement_timeout", 200)
    def test_a_statement_past_the_timeout_is_a_503(self, app):
        with app.flask_app.test_request_context():
            with pytest.raises(sa.exc.OperationalError) as info:
                model.Session.execute(sa.text("SELECT pg_sleep(2)"))
            model.Session.rollback()
        assert database.is_unavailable(info.value)
