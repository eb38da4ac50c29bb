"""Login throttling per account and per address, the sign-up limit, and
sessions and remember-me cookies that end on logout and password change
(issue 14).  Every log-in goes through the real login form by cookie."""
from __future__ import annotations

import time

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import CKANTestApp
from ckanapi import LocalCKAN
from flask_login.utils import encode_cookie

from ckanext.learning.tests.security.conftest import (
    CSRF_FIELD,
    PASSWORD,
    csrf_token,
    log_in,
    logged_in_as,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db")]

WRONG = "not-the-password"


@pytest.fixture
def user():
    return factories.User(password=PASSWORD, email="sokha@example.org")


def fresh_client(app) -> CKANTestApp:
    """Another browser (its own cookies) on the same app."""
    return CKANTestApp(app.app)


def cookie(app, name: str) -> str | None:
    found = app.client.get_cookie(name, domain="test.ckan.net")
    return found.value if found is not None else None


def copy_cookies(source, names) -> CKANTestApp:
    """A thief's browser holding copies of ``source``'s cookies."""
    thief = fresh_client(source)
    for name in names:
        value = cookie(source, name)
        assert value, f"no {name} cookie to copy"
        thief.client.set_cookie(name, value, domain="test.ckan.net")
    return thief


@pytest.mark.ckan_config("ckanext.learning.security.login_failures_per_account", 3)
@pytest.mark.ckan_config("ckanext.learning.security.login_failures_per_address", 100)
class TestAccountThrottle:
    def test_locked_account_refuses_even_the_right_password(self, app, user):
        for _ in range(3):
            assert log_in(app, user["name"], WRONG).status_code == 200
        response = log_in(app, user["name"])
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        assert "Too many failed attempts to log in" in response.body
        assert not logged_in_as(app, user)

    def test_name_and_email_count_together(self, app, user):
        log_in(app, user["name"], WRONG)
        log_in(app, "SOKHA@example.org", WRONG)
        log_in(app, user["name"], WRONG)
        assert log_in(app, "sokha@example.org").status_code == 429

    def test_right_password_clears_the_count(self, app, user):
        log_in(app, user["name"], WRONG)
        log_in(app, user["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 302
        app.get("/user/_logout")
        log_in(app, user["name"], WRONG)
        log_in(app, user["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 302
        assert logged_in_as(app, user)

    def test_other_accounts_are_not_locked(self, app, user):
        other = factories.User(password=PASSWORD)
        for _ in range(3):
            log_in(app, user["name"], WRONG)
        assert log_in(app, other["name"]).status_code == 302

    @pytest.mark.ckan_config("ckanext.learning.security.login_window", 1)
    def test_lock_ends_with_the_window(self, app, user):
        for _ in range(3):
            log_in(app, user["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 429
        time.sleep(2.1)
        assert log_in(app, user["name"]).status_code == 302

    @pytest.mark.ckan_config("ckan.locale_default", "km")
    def test_message_in_khmer(self, app, user):
        for _ in range(3):
            log_in(app, user["name"], WRONG)
        body = log_in(app, user["name"]).body
        assert "Too many failed attempts" not in body
        assert "ព្យាយាម" in body


@pytest.mark.ckan_config("ckanext.learning.security.login_failures_per_account", 100)
@pytest.mark.ckan_config("ckanext.learning.security.login_failures_per_address", 4)
class TestAddressThrottle:
    def test_guessing_across_accounts_locks_the_address(self, app, user):
        for _ in range(4):
            log_in(app, factories.User(password=PASSWORD)["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 429
        # another address is not locked
        other = fresh_client(app)
        other.client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
        assert log_in(other, user["name"]).status_code == 302

    def test_forwarded_for_is_ignored_without_trusted_proxies(self, app, user):
        for number in range(4):
            app.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{number}"
            log_in(app, factories.User(password=PASSWORD)["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 429

    @pytest.mark.ckan_config("ckanext.learning.security.proxy_hops", 1)
    def test_forwarded_for_counts_behind_a_trusted_proxy(self, app, user):
        app.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
        for _ in range(4):
            log_in(app, factories.User(password=PASSWORD)["name"], WRONG)
        assert log_in(app, user["name"]).status_code == 429
        app.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"
        assert log_in(app, user["name"]).status_code == 302


def register(app, name: str):
    """Sign up through the registration form, as a visitor."""
    return app.post("/user/register", follow_redirects=False, data={
        "name": name, "fullname": name.title(), "email": f"{name}@example.org",
        "password1": PASSWORD, "password2": PASSWORD, "save": "",
        CSRF_FIELD: csrf_token(app, "/user/register")})


@pytest.mark.ckan_config("ckanext.learning.security.signups_per_address", 2)
@pytest.mark.ckan_config("ckan.auth.create_user_via_web", True)  # off by default
class TestSignUpLimit:
    def test_sign_ups_per_address_are_limited(self, app):
        for name in ("dara", "sophea"):
            assert register(fresh_client(app), name).status_code == 302
        visitor = fresh_client(app)
        response = register(visitor, "vannak")
        assert response.status_code == 200
        assert "Too many accounts were created from your network" in response.body
        assert model.User.get("vannak") is None
        # another address still signs up
        visitor = fresh_client(app)
        visitor.client.environ_base["REMOTE_ADDR"] = "192.0.2.9"
        assert register(visitor, "vannak").status_code == 302

    def test_accounts_made_by_the_site_are_not_counted(self, app):
        for number in range(3):
            LocalCKAN().action.user_create(name=f"imported-{number}", password=PASSWORD,
                                           email=f"imported-{number}@example.org")
        assert register(fresh_client(app), "dara").status_code == 302


REMEMBER = "remember_token"


def session_cookie() -> str:
    return tk.config["SESSION_COOKIE_NAME"]


class TestSessions:
    def test_remember_cookie_is_new_at_each_log_in(self, app, user):
        log_in(app, user["name"], remember=True)
        first = cookie(app, REMEMBER)
        app.get("/user/_logout")
        log_in(app, user["name"], remember=True)
        assert first and cookie(app, REMEMBER) and cookie(app, REMEMBER) != first

    def test_copied_cookies_work_until_logout(self, app, user):
        log_in(app, user["name"], remember=True)
        thief = copy_cookies(app, [session_cookie(), REMEMBER])
        remembered = copy_cookies(app, [REMEMBER])  # the remember-me cookie alone
        assert logged_in_as(thief, user) and logged_in_as(remembered, user)
        app.get("/user/_logout")
        assert not logged_in_as(app, user)
        assert not logged_in_as(thief, user)
        assert not logged_in_as(copy_cookies(remembered, [REMEMBER]), user)

    def test_password_change_ends_other_sessions(self, app, user):
        log_in(app, user["name"], remember=True)
        thief = copy_cookies(app, [session_cookie(), REMEMBER])
        LocalCKAN().action.user_patch(id=user["id"], password="A-new-password-2")
        assert not logged_in_as(thief, user)
        assert not logged_in_as(app, user)

    def test_own_password_change_keeps_this_session(self, app, user):
        log_in(app, user["name"])
        thief = copy_cookies(app, [session_cookie()])
        response = app.post(f"/user/edit/{user['name']}", follow_redirects=False, data={
            "name": user["name"], "fullname": "Sokha", "email": user["email"],
            "old_password": PASSWORD, "password1": "A-new-password-2",
            "password2": "A-new-password-2", "save": "",
            CSRF_FIELD: csrf_token(app, f"/user/edit/{user['name']}")})
        assert response.status_code == 302, response.body
        assert logged_in_as(app, user)
        assert not logged_in_as(thief, user)

    def test_cookie_with_a_plain_user_id_is_refused(self, app, user):
        # what Flask-Login issues by itself: "<user id>|<hmac>", valid forever
        with app.flask_app.test_request_context():
            forged = encode_cookie(user["id"])
        visitor = fresh_client(app)
        visitor.client.set_cookie(REMEMBER, forged, domain="test.ckan.net")
        assert not logged_in_as(visitor, user)

    def test_api_tokens_still_work(self, app):
        user = factories.UserWithToken()
        reply = app.get("/api/3/action/user_show", query_string={"id": user["name"]},
                        headers={"Authorization": user["token"]})
        assert reply.json["result"]["email"]  # only the user themself sees it

