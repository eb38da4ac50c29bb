"""The Content-Security-Policy in a real browser (headless Chromium, as in
tests/browser/): the portal's pages break none of its rules, and the
resource form's file-or-link buttons, whose inline handlers the policy
does not run, still work (security/templates, security/assets)."""
from __future__ import annotations

from configparser import ConfigParser
from pathlib import Path

import pytest

from ckanext.learning.tests.browser.conftest import browser, live_server, new_page  # noqa: F401
from ckanext.learning.tests.security.conftest import PASSWORD

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False),
              # as etc/portal-options.ini has it (test_portal_has_no_gravatar)
              pytest.mark.ckan_config("ckan.gravatar_default", "disabled")]

PORTAL_OPTIONS = Path(__file__).parents[4] / "etc" / "portal-options.ini"


def watched_page(new_page):  # noqa: F811
    """A page and the policy violations Chromium reports on it."""
    page = new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return page, violations


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def log_in(page, live_server, user) -> None:  # noqa: F811
    visit(page, live_server("/user/login"))
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#field-login) button[type=submit]").click()
    assert "/user/login" not in page.url


def test_pages_break_no_rule_of_the_policy(new_page, live_server, draft,  # noqa: F811
                                           contributor):
    page, violations = watched_page(new_page)
    for path in ("/", "/dataset/", "/km/dataset/", "/group/", "/contribute"):
        visit(page, live_server(path))
    log_in(page, live_server, contributor)
    name = draft["name"]
    for path in (f"/learning-resource/{name}", f"/learning-resource/edit/{name}",
                 "/learning-resource/new", f"/learning-resource/{name}/resource/new",
                 f"/learning-resource/{name}/resource/{draft['resources'][0]['id']}/edit",
                 "/learning/submissions", f"/user/edit/{contributor['name']}"):
        visit(page, live_server(path))
    assert violations == []


def test_file_or_link_buttons_work(new_page, live_server, draft, contributor):  # noqa: F811
    page, violations = watched_page(new_page)
    log_in(page, live_server, contributor)
    visit(page, live_server(f"/learning-resource/{draft['name']}/resource/new"))
    assert not page.is_visible("#field-resource-url")
    page.click("#resource-link-button")
    assert page.is_visible("#field-resource-url")
    page.fill("#field-resource-url", "https://example.org/handbook.pdf")
    page.locator(".btn-remove-url:visible").click()
    assert not page.is_visible("#field-resource-url")
    assert page.input_value("#field-resource-url") == ""
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    assert chooser.value is not None
    assert violations == []


def test_portal_has_no_gravatar():
    """Gravatar pictures come from an outside host the policy refuses (and
    would tell Gravatar every user's email hash)."""
    options = ConfigParser(interpolation=None)
    options.read(PORTAL_OPTIONS)
    assert options["app:main"]["ckan.gravatar_default"] == "disabled"
