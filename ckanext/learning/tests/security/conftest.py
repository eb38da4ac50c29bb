"""Users who log in with a password (through the login form, by cookie, as
a browser does) and the helpers the hardening tests share."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.security import throttle

# the workflow tests' resources in each state, made by the users below
from ckanext.learning.tests.workflow.conftest import (  # noqa: F401
    api,
    draft,
    pending,
    published,
    resource_dict,
)

PASSWORD = "Hardening-test-pass-1"
CSRF_FIELD = "_csrf_token"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def member(org, role, **kwargs):
    # no picture: the factory's is on an outside host, which the CSP blocks
    user = factories.User(password=PASSWORD, image_url="", **kwargs)
    LocalCKAN().action.organization_member_create(id=org["id"], username=user["name"],
                                            role=role)
    return user


# the workflow tests' organisations, without the factory's outside-host
# pictures (which the CSP blocks)
@pytest.fixture
def cso(themes_created):
    return factories.Organization(name="tonle-forest-alliance", image_url="")


@pytest.fixture
def odc(themes_created):
    """ODC's organisation: its admins review (reviewer_organizations = odc)."""
    return factories.Organization(name="odc", image_url="")


@pytest.fixture
def contributor(cso):
    return member(cso, "editor")


@pytest.fixture
def reviewer(odc):
    return member(odc, "admin")


@pytest.fixture(autouse=True)
def no_throttle_counts():
    """Every test starts with no failed log-in or sign-up counted."""
    redis = connect_to_redis()
    for key in redis.scan_iter(f"{throttle.PREFIX}:*"):
        redis.delete(key)


def token_header(user) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def csrf_token(app, url: str = "/user/login") -> str:
    """The CSRF token a page of the site gives this client."""
    match = _TOKEN.search(app.get(url).body)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def log_in(app, login: str, password: str = PASSWORD, remember: bool = False):
    """Log in through the login form as a browser does: the client keeps
    the session (and remember-me) cookies."""
    data = {"login": login, "password": password, CSRF_FIELD: csrf_token(app)}
    if remember:
        data["remember"] = "63072000"
    # over https Flask-WTF also wants a same-site Referer
    referer = tk.config["ckan.site_url"].rstrip("/") + "/user/login"
    return app.post("/user/login", data=data, headers={"Referer": referer},
                    follow_redirects=False)


def logged_in_as(app, user) -> bool:
    """Whether the site takes this client (its cookies) for ``user``."""
    reply = app.get("/dashboard/datasets", follow_redirects=False)
    return reply.status_code == 200 and f'/user/{user["name"]}' in reply.body
