"""Login throttling, per account and per client address, and the sign-up
limit per address.

Log-in.  Core's login view asks ``IAuthenticator.login()`` first, on every
GET and POST: :func:`refusal` answers a POST from a locked account or
address with the login page, a message and ``429`` (with ``Retry-After``),
before the password is looked at, so a locked account cannot be opened even
with the right password.  Failures are counted from core's ``failed_login``
signal (sent for every wrong password, unknown account or failed captcha),
per account and per address; a successful log-in clears its account's
count.  An account is counted under its user id whether it is named by
user name or by email, so alternating the two gains nothing.

Sign-up.  :func:`user_create` (chained) refuses an anonymous web or API
sign-up once the address has made ``signups_per_address`` accounts in the
window.
"""
from __future__ import annotations

import logging
import math
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from flask import Response, has_request_context, make_response, request

from ckanext.learning import config
from ckanext.learning.security import throttle

__all__ = ["client_address", "on_failed_login", "on_logged_in", "refusal", "user_create"]

log = logging.getLogger(__name__)

ACCOUNT = "login-account"
ADDRESS = "login-address"
SIGNUP = "signup-address"


def client_address() -> str:
    """The client's address: the peer's, or the one the trusted proxies
    give (``ckanext.learning.security.proxy_hops``, applied by ProxyFix)."""
    return request.remote_addr or "unknown"


def account_of(login: str) -> str:
    """What a login name counts under: the user id if such a user exists
    (by name or email), else the name as typed, lower-cased."""
    login = (login or "").strip()
    user = (model.User.by_name(login) or model.User.by_email(login)) if login else None
    return user.id if user is not None else login.lower()


def wait_seconds(login: str) -> int:
    """How long a log-in as ``login`` from this address must still wait."""
    return max(
        throttle.blocked_for(ACCOUNT, account_of(login),
                             config.security_login_failures_per_account()),
        throttle.blocked_for(ADDRESS, client_address(),
                             config.security_login_failures_per_address()))


def refusal() -> Response | None:
    """``IAuthenticator.login``: the response refusing a locked log-in, or
    None to let core's login go on."""
    if request.method != "POST":
        return None
    wait = wait_seconds(request.form.get("login") or "")
    if not wait:
        return None
    log.warning("Login refused (throttled) from %s", client_address())
    minutes = math.ceil(wait / 60)
    tk.h.flash_error(tk.ungettext(
        "Too many failed attempts to log in. Wait {minutes} minute and try again.",
        "Too many failed attempts to log in. Wait {minutes} minutes and try again.",
        minutes).format(minutes=minutes))
    response = make_response(tk.render("user/login.html", {}), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def on_failed_login(login: Any, **_: Any) -> None:
    """``failed_login`` signal (the sender is the login name typed)."""
    if not has_request_context():
        return
    window = config.security_login_window()
    throttle.hit(ACCOUNT, account_of(str(login or "")), window)
    throttle.hit(ADDRESS, client_address(), window)


def on_logged_in(sender: Any, user: Any = None, **_: Any) -> None:
    """``user_logged_in`` signal: the right password clears the account's
    count (the address's keeps running: one good account must not reset
    the guessing at others)."""
    if isinstance(user, model.User):
        throttle.clear(ACCOUNT, user.id)


def _counted_signup(context: Context) -> bool:
    return (has_request_context() and not context.get("ignore_auth")
            and not tk.current_user.is_authenticated)


@tk.chained_action
def user_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Anonymous sign-ups are limited per client address
    (``ckanext.learning.security.signups_per_address``).  See core
    ``user_create`` for the parameters."""
    counted = _counted_signup(context)
    if counted and throttle.blocked_for(SIGNUP, client_address(),
                                        config.security_signups_per_address()):
        log.warning("Sign-up refused (throttled) from %s", client_address())
        raise tk.ValidationError({"registration": [tk._(
            "Too many accounts were created from your network recently. "
            "Try again later, or ask the site's administrators.")]})
    result = up_func(context, data_dict)
    if counted:
        throttle.hit(SIGNUP, client_address(), config.security_signup_window())
    return result


ACTIONS = {"user_create": user_create}
