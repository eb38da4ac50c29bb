"""The search's reads from a streaming replica (``ckanext.learning.search.read_url``).

Writes (the index rows) stay on the primary, in the transaction that changes
the dataset.  Reads go to the replica when it is known to hold what the
searching user needs, else to the primary:

* Read-your-writes.  When a transaction that wrote index rows commits, the
  primary's WAL insert position (``pg_current_wal_insert_lsn()``, past the
  commit record) is kept in Redis under the writing user's name (server-side:
  browsers and API tokens alike, every web worker sees it).  That user's
  searches use the replica only once ``pg_last_wal_replay_lsn()`` has reached
  it, checked in the search's own replica transaction before any read: a
  snapshot taken after the commit record is replayed sees the commit.  Other
  users are not held back by someone else's writes.
* A transaction that has itself written index rows searches on the primary
  (its uncommitted rows are only there), by SQL, as the postings already do.
* The in-memory postings follow one source only, the replica: their
  snapshots then only move forward.  A search the replica cannot answer is
  answered by SQL on the primary.
* A replica that refuses connections or fails mid-search: the search is
  answered by the primary, one warning is logged, and the replica is not
  tried again for :data:`RETRY_SECONDS`.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.redis import connect_to_redis
from flask import has_request_context

from ckanext.learning import config

log = logging.getLogger(__name__)

#: Seconds a replica that failed is left alone before being tried again.
RETRY_SECONDS = 10
#: Seconds a user's last write position is remembered (far beyond any lag
#: a replica is used with: a replica that lags more is caught by the check).
LSN_TTL = 24 * 3600
#: ``session.info`` key: the user whose transaction wrote index rows.
WROTE = "learning_search_wrote"

_lock = threading.Lock()
_engines: dict[tuple[int, str], sa.engine.Engine] = {}
_down_until = 0.0


def configured() -> bool:
    return config.search_read_url() is not None


def engine() -> sa.engine.Engine | None:
    """The replica's engine (one per process: forked workers get their own)."""
    url = config.search_read_url()
    if url is None:
        return None
    key = (os.getpid(), url)
    with _lock:
        found = _engines.get(key)
        if found is None:
            found = _engines[key] = sa.create_engine(
                url, pool_pre_ping=True,
                connect_args={"connect_timeout": config.database_connect_timeout(),
                              "application_name": "ckanext-learning search"})
        return found


def _key(user: str) -> str:
    return f"{config.site_id()}:learning_search:lsn:{user}"


def _current_user() -> str | None:
    if not has_request_context():
        return None
    try:
        user = tk.current_user
        return user.id if user.is_authenticated else None
    except (AttributeError, RuntimeError):
        return None


# -- writes --------------------------------------------------------------------
def note_write(session: Any) -> None:
    """The transaction of ``session`` writes index rows (backend ``add``/``delete``)."""
    session.info.setdefault(WROTE, _current_user())


def has_written(session: Any) -> bool:
    return WROTE in session.info


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _after_commit(session: sa.orm.Session) -> None:
    if WROTE not in session.info:
        return
    user = session.info.pop(WROTE)
    if user is None or not configured():
        return
    try:
        with model.meta.engine.connect() as conn:
            lsn = conn.execute(sa.text(
                "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")).scalar()
        redis = connect_to_redis()
        key = _key(user)
        known = redis.get(key)
        if known is None or int(known) < int(lsn):
            redis.set(key, int(lsn), ex=LSN_TTL)
    except Exception as e:  # the commit stands; the next searches may lag
        log.warning("Could not note the write position of %s: %s", user, e)


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _after_rollback(session: sa.orm.Session) -> None:
    session.info.pop(WROTE, None)


# -- reads ---------------------------------------------------------------------
def _wanted_lsn() -> int | None:
    user = _current_user()
    if user is None:
        return None
    known = connect_to_redis().get(_key(user))
    return int(known) if known is not None else None


def session_for_search() -> sa.orm.Session | None:
    """A session on the replica, in a transaction whose snapshot holds the
    user's own writes; None when the primary must answer (module docstring).
    The caller closes it."""
    global _down_until
    found = engine()
    if found is None or has_written(model.Session()):
        return None
    if time.monotonic() < _down_until:
        return None
    try:
        wanted = _wanted_lsn()
    except Exception as e:  # Redis down: nobody's writes can be vouched for
        log.warning("Search on the primary, user's write position unknown: %s", e)
        return None
    session = sa.orm.Session(bind=found)
    try:
        if wanted is not None:
            caught_up = session.execute(sa.text(
                "SELECT coalesce(pg_last_wal_replay_lsn() - '0/0'::pg_lsn >= :lsn, "
                "NOT pg_is_in_recovery())"), {"lsn": wanted}).scalar()
            if not caught_up:
                log.debug("Search on the primary: the replica lags this user's write")
                session.close()
                return None
        return session
    except sa.exc.DBAPIError as e:
        session.close()
        lost(e)
        return None


def lost(error: Exception) -> None:
    """The replica failed: one line, and the primary for a while."""
    global _down_until
    _down_until = time.monotonic() + RETRY_SECONDS
    orig = getattr(error, "orig", error)
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    log.warning("Search replica unavailable, searching the primary for %ds: %s",
                RETRY_SECONDS, first)


def is_connection_error(error: sa.exc.DBAPIError) -> bool:
    import psycopg2

    # a conflict with recovery (40001) cancels a standby's query: the primary
    # has no such conflict
    return error.connection_invalidated or isinstance(
        error.orig, psycopg2.errors.SerializationFailure) or (
        isinstance(error.orig, psycopg2.OperationalError)
        and not isinstance(error.orig, psycopg2.errors.QueryCanceled))


def reset() -> None:
    """Forget a failure (tests; an operator's restart does the same)."""
    global _down_until
    _down_until = 0.0
