"""A real browser against a real HTTP server: CKAN's test app served by
werkzeug from a background thread, driven by headless Chromium (Debian's
``/usr/bin/chromium``, set up by ``bin/ensure-browser``) through Playwright."""
from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

# the organisations and themes of the workflow tests (imported as fixtures)
from ckanext.learning.tests.workflow.conftest import cso, odc  # noqa: F401

CHROMIUM = os.environ.get("LEARNING_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path("/tmp/ckanext-learning-browser")
#: The pages as people see them, saved by every run (test_screenshots.py).
SCREENS = Path(os.environ.get("LEARNING_SCREENS", SCREENSHOTS / "screens"))
#: What this run saved there, listed at the end of the run.
SAVED: list[Path] = []
PASSWORD = "browser-test-pass-1"
TIMEOUT_MS = 15_000


class LiveServer:
    def __init__(self, url: str):
        self.url = url

    def __call__(self, path: str) -> str:
        return self.url + path

    def anonymous_status(self, path: str) -> int:
        """The HTTP status of a page fetched without any cookie."""
        request = urllib.request.Request(self(path), headers={"Accept": "text/html"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per asset is noise
        pass


@pytest.fixture
def live_server(ckan_config, make_app, monkeypatch):
    """CKAN's test app over real HTTP on 127.0.0.1 and a free port; site_url
    points at it so that CKAN's redirects and absolute links stay on it."""
    holder = {}

    def wsgi(environ, start_response):
        return holder["app"](environ, start_response)

    server = make_server("127.0.0.1", 0, wsgi, threaded=False,
                         request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", url)
    holder["app"] = make_app().app  # the whole WSGI stack, as `ckan run` serves it
    thread = threading.Thread(target=server.serve_forever, name="ckan-live-server",
                              daemon=True)
    thread.start()
    yield LiveServer(url)
    server.shutdown()
    thread.join(10)
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (Playwright's event loop ends with it)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


def pytest_terminal_summary(terminalreporter):
    if SAVED:
        terminalreporter.write_line(
            f"browser screenshots: {len(SAVED)} saved in {SCREENS}/")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def new_page(browser, live_server, request):
    """Opens a page in a fresh browser context (its own cookies: one user).
    Requests off the live server are refused, so no page waits on the
    network.  On failure each page is saved to /tmp as a screenshot."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        host = urlsplit(live_server.url).netloc

        def route(route):
            if urlsplit(route.request.url).netloc == host:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", route)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for number, page in enumerate(context.pages):
                path = SCREENSHOTS / f"{request.node.name}-{index}-{number}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception:  # a screenshot must not hide the failure
                    pass
        context.close()


def _member(org, role):
    user = factories.User(password=PASSWORD, image_url="")
    LocalCKAN().action.organization_member_create(
        id=org["id"], username=user["name"], role=role)
    return user


@pytest.fixture
def contributor(cso):  # noqa: F811
    """An editor of the CSO, with a password to log in with."""
    return _member(cso, "editor")


@pytest.fixture
def reviewer(odc):  # noqa: F811
    """An admin of ODC's organisation: a reviewer."""
    return _member(odc, "admin")


def log_in(page, live_server, user, prefix=""):
    """Through the real login form."""
    page.goto(live_server(f"{prefix}/user/login"))
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#field-login) button[type=submit]").click()
    assert "/user/login" not in page.url, f"{user['name']} could not log in"
    return page


def fill_first_stage(page, titles, summaries, name, resource_type, theme):
    """The form's first stage as a person fills it: both languages of the
    title and summary (``{"km": …, "en": …}``), the URL name chosen by hand,
    type, theme, both document languages, CC BY 4.0 (a select2: the select)."""
    for lang in ("km", "en"):
        page.fill(f"#field-title_translated-{lang}", titles[lang])
    page.locator(".slug-preview button").click()
    page.fill("#field-name", name)
    for lang in ("km", "en"):
        page.fill(f"#field-notes_translated-{lang}", summaries[lang])
    page.select_option("#field-resource_type", resource_type)
    page.check(f"#field-themes-{theme}")
    page.check("#field-language-km")
    page.check("#field-language-en")
    page.select_option("#field-license_id", "CC-BY-4.0")
