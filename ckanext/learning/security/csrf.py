"""CSRF exemption for one request, never for the process.

The seam.  Core's ``ckan_before_request`` (``ckan/config/middleware/
flask_app.py``) exempts the current view from Flask-WTF's CSRF check when the
request was not authenticated by a session cookie (an API token, or no user
at all: core sets ``g.login_via_auth_header`` for both), by calling
``csrf.exempt("<module>.<function>")`` on its module-level ``CSRFProtect``.
Flask-WTF keeps exemptions in a set for the life of the process: after one
token (or anonymous) request to a view, every later cookie-authenticated
POST to it, and to every view sharing its function, skipped the check.
The action API is one view function, so one anonymous API call opened every
action to cross-site requests.

:func:`install` swaps that set (``CSRFProtect._exempt_views``) for a
:class:`RequestScopedExemptions`: what is exempted while a request is
token-authenticated or anonymous lasts for that request only (kept in
``flask.g``); exemptions made outside a request (``@csrf.exempt`` at import
time) stay process-wide, as Flask-WTF intends.  ``tests/security/
test_csrf.py`` pins the seam: core's ``csrf`` object, its private set, and
that the attacks fail.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckan.config.middleware import flask_app
from flask import g, has_request_context

__all__ = ["RequestScopedExemptions", "install"]

#: Key in ``flask.g`` of the views exempted for the current request only.
_REQUEST_KEY = "learning_csrf_exempt_views"


def _request_is_token_or_anonymous() -> bool:
    return has_request_context() and bool(g.get("login_via_auth_header"))


class RequestScopedExemptions(set):
    """Flask-WTF's set of exempt views, where an exemption added during a
    token-authenticated or anonymous request belongs to that request."""

    def __init__(self, views: Iterable[str] = ()) -> None:
        super().__init__(views)

    def add(self, view: Any) -> None:
        if _request_is_token_or_anonymous():
            scoped = g.get(_REQUEST_KEY)
            if scoped is None:
                scoped = set()
                setattr(g, _REQUEST_KEY, scoped)
            scoped.add(view)
            return
        super().add(view)

    def __contains__(self, view: object) -> bool:
        if super().__contains__(view):
            return True
        return has_request_context() and view in (g.get(_REQUEST_KEY) or ())


def install() -> None:
    """Make core's exemptions per request (idempotent: core's ``csrf`` is one
    object for every app the process creates)."""
    protect = flask_app.csrf
    if not isinstance(protect._exempt_views, RequestScopedExemptions):
        protect._exempt_views = RequestScopedExemptions(protect._exempt_views)
