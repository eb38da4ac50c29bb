"""The portal when PostgreSQL is slow, frozen or down.

Without this a database outage is a 500 (the API answers with the HTML
error page; a client with a token gets werkzeug's bare page, as CKAN's
error handler needs the database to read the token), and a frozen database
holds each request until the WSGI server kills its worker.

* :func:`install` (once per process): every PostgreSQL connection is opened
  with ``connect_timeout``; each transaction a web request begins gets a
  ``statement_timeout`` (command-line tools and background jobs keep none);
  and psycopg2 waits for the server with a deadline
  (:func:`wait_with_deadline`), so a frozen database is a 503 after the
  statement timeout, not a worker held until the WSGI server kills it;
* :func:`unavailable` (an error handler on every app) and
  :func:`replace_500` (for what core's API view catches itself): a lost or
  refused connection, or a cancelled statement, answers 503 with ``Retry-After``:
  JSON for the API, a short page in the visitor's language otherwise, built
  without templates or helpers (they would ask the database again), and
  logged in one line, not a traceback per request.
"""
from __future__ import annotations

import html
import logging
import select
import time
from typing import Any

import ckan.plugins.toolkit as tk
import flask
import psycopg2
import psycopg2.extensions
import sqlalchemy as sa
from ckan import model
from flask import Response, jsonify, request

from ckanext.learning import config
from ckanext.learning.search import long_reads

__all__ = ["install", "is_unavailable", "replace_500", "unavailable"]

log = logging.getLogger(__name__)

_installed = False


def install() -> None:
    """Listen on every engine and session of the process, and wait on
    PostgreSQL with a deadline (idempotent)."""
    global _installed
    if _installed:
        return
    sa.event.listen(sa.engine.Engine, "do_connect", _with_connect_timeout)
    sa.event.listen(sa.orm.Session, "after_begin", _with_statement_timeout)
    sa.event.listen(sa.engine.Engine, "handle_error", _note_failure)
    psycopg2.extensions.set_wait_callback(wait_with_deadline)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).addFilter(_QuietWhileUnavailable())
    _installed = True


#: Seconds past the statement timeout a web request waits for an answer
#: before it takes the server for frozen.
ANSWER_GRACE = 2.0


def wait_with_deadline(connection: Any) -> None:
    """psycopg2's wait callback: wait for the socket as libpq would, but a
    frozen server (a stopped process, a dead host: the socket stays open and
    silent) is given up on.  Connecting waits ``connect_timeout`` (libpq
    applies it only to blocking connects); a statement of a web request
    waits its ``statement_timeout`` plus :data:`ANSWER_GRACE` (a live server
    has cancelled it by then); other processes wait as long as it takes.
    Costs about 3 µs a statement (measured with ``SELECT 1``)."""
    limit = _answer_limit(connection)
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if state == psycopg2.extensions.POLL_READ:
            readers, writers = [connection.fileno()], []
        elif state == psycopg2.extensions.POLL_WRITE:
            readers, writers = [], [connection.fileno()]
        else:
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        timeout = None if deadline is None else max(deadline - time.monotonic(), 0)
        ready = select.select(readers, writers, [], timeout)
        if not (ready[0] or ready[1]):
            global _suspect_until
            _suspect_until = time.monotonic() + SUSPECT_SECONDS
            # worded so that SQLAlchemy takes it for a lost connection
            # (is_disconnect) and discards it from the pool
            raise psycopg2.OperationalError(
                f"could not receive data from server: no answer in {limit:.0f} s")


#: After a server failed to answer, for this long (seconds) every request
#: waits at most :data:`SUSPECT_LIMIT` for it: while it is frozen, requests
#: are 503s at once instead of each waiting out the whole deadline (and
#: queueing behind each other); a live server answers well within it.
SUSPECT_SECONDS = 10.0
SUSPECT_LIMIT = 1.0
_suspect_until = 0.0


def _answer_limit(connection: Any) -> float | None:
    if connection.status == psycopg2.extensions.STATUS_SETUP:
        limit: float | None = float(config.database_connect_timeout())
    elif not flask.has_request_context() or long_reads.active():
        return None
    else:
        timeout = config.database_statement_timeout()
        limit = timeout / 1000 + ANSWER_GRACE if timeout > 0 else None
    if time.monotonic() < _suspect_until:
        return SUSPECT_LIMIT if limit is None else min(limit, SUSPECT_LIMIT)
    return limit


def _with_connect_timeout(dialect: Any, conn_rec: Any, cargs: Any,
                          cparams: dict[str, Any]) -> None:
    if dialect.name == "postgresql":
        cparams.setdefault("connect_timeout", config.database_connect_timeout())


def _with_statement_timeout(session: Any, transaction: Any, connection: Any) -> None:
    if not flask.has_request_context() or connection.dialect.name != "postgresql":
        return
    timeout = config.database_statement_timeout()
    if timeout > 0:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout)}")


def is_unavailable(error: BaseException) -> bool:
    """A connection lost, refused or timed out, or a statement cancelled."""
    if isinstance(error, sa.exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            error.orig, psycopg2.OperationalError)
    return isinstance(error, psycopg2.OperationalError)


def unavailable(error: Exception) -> Response:
    """Error handler: 503 for an unavailable database, else re-raised."""
    if not is_unavailable(error):
        raise error
    return _unavailable_reply(_first_line(getattr(error, "orig", error)))


def replace_500(response: Response) -> Response:
    """``after_request``: core's API view answers any exception of an action
    with its own 500 (and a traceback in the log), out of reach of the error
    handler; when the database failed during the request (see
    :func:`_note_failure`), that 500 is the 503 it should be."""
    failure = flask.g.get(_FAILED)
    if failure is None or response.status_code < 500 or response.status_code == 503:
        return response
    return _unavailable_reply(failure)


def _note_failure(context: Any) -> None:
    """``handle_error`` of every engine: remember, for this request, that the
    database was unavailable (the exception itself may be caught by core)."""
    if flask.has_request_context() and is_unavailable(context.original_exception):
        flask.g.setdefault(_FAILED, _first_line(context.original_exception))


class _QuietWhileUnavailable(logging.Filter):
    """Core's loggers' tracebacks of a request whose database failed: the
    one line :func:`_unavailable_reply` logs says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and flask.has_request_context()
                    and flask.g.get(_FAILED) is not None)


#: ``flask.g`` key: the database failed during this request (first line).
_FAILED = "learning_database_failure"
#: Loggers that log a traceback for each failed request.
NOISY_LOGGERS = ("ckan.views.api", "ckan.config.middleware.flask_app")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _unavailable_reply(first_line: str) -> Response:
    log.warning("Database unavailable: %s %s: %s", request.method, request.path,
                first_line)
    try:
        model.Session.remove()  # its connection is broken: start afresh next time
    except Exception:  # noqa: BLE001 - a broken session may fail to close too
        log.debug("Session could not be removed", exc_info=True)
    response = _api_reply() if request.path.startswith("/api/") else _page()
    response.status_code = 503
    response.headers["Retry-After"] = str(config.database_retry_after())
    response.headers["Cache-Control"] = "no-store"
    return response


def _message() -> str:
    return tk._("The library is unavailable for a moment. Please try again in a "
                "minute.")


def _api_reply() -> Response:
    return jsonify({"success": False, "error": {
        "__type": "Service Unavailable", "message": _message()}})


def _page() -> Response:
    lang = _language()
    configured = tk.config.get("ckan.site_title") or ""
    title = html.escape(tk._(configured) if configured else "CKAN")
    body = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>503 · {title}</title></head><body "
            f'style="font-family:sans-serif;max-width:36rem;margin:3rem auto;'
            f'padding:0 1rem;line-height:1.6">'
            f"<h1>{title}</h1><p>{html.escape(_message())}</p>"
            f'<p><a href="{html.escape(request.full_path)}">'
            f"{html.escape(tk._('Try again'))}</a></p></body></html>")
    return Response(body, mimetype="text/html")


def _language() -> str:
    return request.environ.get("CKAN_LANG") or tk.config.get("ckan.locale_default") or "en"
