"""Log-in sessions and remember-me cookies that end on logout and on a
password change.

Flask-Login (CKAN 2.12) keeps the user's id in the session and, with
"remember me", in a ``remember_token`` cookie signed with the site's secret
key: ``<user id>|<hmac>``, the same on every log-in, valid forever (logout
only asks the browser to delete it; the session cookie is client-side too).

Here the id stored is a *session token* instead: ``<user id>.<nonce>.<mac>``,
where the nonce is new at each log-in and the MAC covers the user id, the
nonce, the user's password hash and a per-user *generation*
(``plugin_extras["learning_session_generation"]``).  Core hands whatever the
session or cookie holds to ``IAuthenticator.identify_user``, and
:func:`identify` accepts a token only while its MAC still holds:

* logout bumps the generation: every session and remember-me cookie of the
  account ends, on every device, copied or not;
* a password change (or reset) changes the hash: the same, except for the
  session that made the change, which is issued a new token;
* a plain id (what core and Flask-Login store by themselves) is refused.

Requests authenticated by an API token are left to core.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import api_token
from flask import g, has_request_context, request, session

__all__ = ["end_sessions", "identify", "issue", "on_logged_in", "on_logged_out",
           "on_user_updated", "valid"]

GENERATION_KEY = "learning_session_generation"
#: Flask-Login's session key of the logged-in user's id.
SESSION_USER_KEY = "_user_id"


def _generation(user: model.User) -> int:
    return int((user.plugin_extras or {}).get(GENERATION_KEY, 0))


def _mac(user: model.User, nonce: str) -> str:
    secret = f"ckanext-learning-session:{tk.config['SECRET_KEY']}".encode()
    message = "|".join((user.id, nonce, str(_generation(user)), user.password or ""))
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()[:40]


def issue(user: model.User) -> str:
    """A new session token for ``user``."""
    nonce = secrets.token_hex(12)
    return f"{user.id}.{nonce}.{_mac(user, nonce)}"


def _parse(token: str | None) -> tuple[str, str, str] | None:
    parts = (token or "").split(".")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def valid(user: model.User, token: str) -> bool:
    parsed = _parse(token)
    return parsed is not None and parsed[0] == user.id and hmac.compare_digest(
        parsed[2], _mac(user, parsed[1]))


def _api_token_user() -> model.User | None:
    header = request.headers.get(tk.config["apitoken_header_name"], "")
    return api_token.get_user_from_token(header) if header else None


def identify(user_id: str | None) -> model.User | model.AnonymousUser | None:
    """``IAuthenticator.identify_user``: the user of a valid session token;
    an anonymous user for anything else (core then tries nothing more);
    None when there is no session, or an API token authenticates the request
    (core gives the token precedence)."""
    if not user_id or not has_request_context() or _api_token_user() is not None:
        return None
    parsed = _parse(user_id)
    user = model.Session.get(model.User, parsed[0]) if parsed else None
    if user is None or not valid(user, user_id):
        return model.AnonymousUser()
    return user


def end_sessions(user: model.User) -> None:
    """End every session and remember-me cookie of ``user`` (and commit)."""
    extras = dict(user.plugin_extras or {})
    extras[GENERATION_KEY] = _generation(user) + 1
    user.plugin_extras = extras
    model.Session.commit()


def on_logged_in(sender: Any, user: Any = None, **_: Any) -> None:
    """``user_logged_in`` signal, sent by ``login_user`` after it stored the
    plain id: store a session token instead (the remember-me cookie, set
    after the request, takes it from the session)."""
    if isinstance(user, model.User) and has_request_context():
        session[SESSION_USER_KEY] = issue(user)


def on_logged_out(sender: Any, user: Any = None, **_: Any) -> None:
    """``user_logged_out`` signal: end all of the account's sessions."""
    if isinstance(user, model.User):
        end_sessions(user)


def on_user_updated(sender: str, **kwargs: Any) -> None:
    """``action_succeeded`` of ``user_update``: a user who changed their own
    password stays logged in here (their other sessions have ended)."""
    if not has_request_context() or g.get("login_via_auth_header"):
        return
    token = session.get(SESSION_USER_KEY)
    parsed = _parse(token)
    result = kwargs.get("result")
    if parsed is None or not isinstance(result, dict) or result.get("id") != parsed[0]:
        return
    user = model.Session.get(model.User, parsed[0])
    if user is not None and not valid(user, token):
        session[SESSION_USER_KEY] = issue(user)
