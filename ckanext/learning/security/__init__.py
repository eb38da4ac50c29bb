"""Hardening of the portal's web surface (issue 14).

* ``csrf``: CSRF exemptions of token and anonymous requests last one
  request, not the life of the process (core's leak);
* ``headers``: CSP, framing, ``nosniff``, referrer policy (and HSTS over
  HTTPS) on every response;
* ``web``: the per-app settings (request size limit, cookie flags, trusted
  proxies) and the wiring of the above;
* ``login``: login throttling per account and per address, the sign-up
  limit per address;
* ``sessions``: session and remember-me tokens that end on logout and on a
  password change;
* ``redirects``: ``came_from`` targets on this site only.

``plugin.py`` wires them: the ``web.blueprint``, ``IAuthenticator``
(``login.refusal``, ``sessions.identify``), ``ISignal`` (:func:`signals`) and
the chained ``user_create``.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.learning.security import login, sessions

__all__ = ["signals"]


def signals() -> dict[Any, list[Any]]:
    """The signal subscriptions of the hardening (``ISignal``)."""
    return {
        tk.signals.failed_login: [login.on_failed_login],
        tk.signals.user_logged_in: [sessions.on_logged_in, login.on_logged_in],
        tk.signals.user_logged_out: [sessions.on_logged_out],
        tk.signals.action_succeeded: [
            {"sender": "user_update", "receiver": sessions.on_user_updated}],
    }
