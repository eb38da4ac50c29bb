"""Security headers on every kind of response, the cookie flags, and the
request size limit (issue 14)."""
from __future__ import annotations

import io
import os
import tempfile

import ckan.model as model
import ckan.plugins.toolkit as tk
import flask
import pytest

from ckanext.learning.config import MB
from ckanext.learning.security import web
from ckanext.learning.tests.security.conftest import log_in, token_header
from ckanext.learning.tests.workflow import samples

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]


def assert_hardened(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    # no outside host, no wildcard; no inline script (inline styles are allowed)
    assert "http" not in csp and "*" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


class TestHeaders:
    def test_html_page(self, app):
        response = app.get("/dataset/")
        assert response.status_code == 200 and "text/html" in response.headers["Content-Type"]
        assert_hardened(response)
        assert "Strict-Transport-Security" not in response.headers  # site_url is http

    def test_json_api(self, app):
        response = app.get("/api/3/action/status_show")
        assert response.headers["Content-Type"].startswith("application/json")
        assert_hardened(response)

    def test_errors_and_static_files(self, app):
        assert_hardened(app.get("/dataset/no-such-thing", status=404))
        assert_hardened(app.post("/dataset/new", data={}, status=403))
        assert_hardened(app.get("/base/images/ckan-logo.png", status=200))

    @pytest.mark.ckan_config("ckan.site_url", "https://learning.example.org")
    def test_https_site_asks_for_https(self, app):
        response = app.get("/dataset/")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"

    def test_no_version_in_server_header(self, app):
        # the WSGI app sends no Server header; gunicorn (bin/serve) sends
        # "gunicorn" without its version
        assert "Server" not in app.get("/dataset/").headers
        import gunicorn
        assert gunicorn.SERVER == "gunicorn"


def cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


class TestCookies:
    def test_session_and_remember_cookies(self, app, contributor):
        cookies = cookie_headers(log_in(app, contributor["name"], remember=True))
        for name in (tk.config["SESSION_COOKIE_NAME"], tk.config["REMEMBER_COOKIE_NAME"]):
            assert "HttpOnly" in cookies[name]
            assert "SameSite=Lax" in cookies[name]
            assert "Secure" not in cookies[name]  # site_url is http

    @pytest.mark.ckan_config("ckan.site_url", "https://learning.example.org")
    def test_secure_over_https(self, app, contributor):
        cookies = cookie_headers(log_in(app, contributor["name"], remember=True))
        for name in (tk.config["SESSION_COOKIE_NAME"], tk.config["REMEMBER_COOKIE_NAME"]):
            assert "; Secure" in cookies[name]
            assert "SameSite=Lax" in cookies[name]

    @pytest.mark.ckan_config("REMEMBER_COOKIE_SAMESITE", "Strict")
    def test_a_stricter_setting_is_kept(self, app, contributor):
        cookies = cookie_headers(log_in(app, contributor["name"], remember=True))
        assert "SameSite=Strict" in cookies[tk.config["REMEMBER_COOKIE_NAME"]]


@pytest.mark.ckan_config("ckanext.learning.upload.max_size_mb", 1)
class TestRequestSize:
    @pytest.fixture
    def file_streams(self, monkeypatch, tmp_path):
        """Every file Werkzeug's form parser opens for a request body, and
        the temp dir it would open them in."""
        opened = []
        original = flask.Request._get_file_stream

        def spy(self, *args, **kwargs):
            opened.append(args)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(flask.Request, "_get_file_stream", spy)
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
        return opened, tmp_path

    def _upload(self, app, draft, contributor, body: bytes):
        return app.post("/api/3/action/resource_create", headers=token_header(contributor),
                        data={"package_id": draft["id"], "name": "Big handbook",
                              "upload": (io.BytesIO(body), "handbook.pdf")})

    def test_limit_is_just_above_the_upload_limit(self, app):
        assert app.flask_app.config["MAX_CONTENT_LENGTH"] == 2 * MB
        assert web.request_limit() == 1 * MB + web.REQUEST_OVERHEAD

    def test_too_large_body_is_413_before_it_is_read(self, app, draft, contributor,
                                                     file_streams):
        opened, temp_dir = file_streams
        storage = os.path.join(tk.config["ckan.storage_path"], "resources")
        before = {os.path.join(d, f) for d, _, fs in os.walk(storage) for f in fs}
        response = self._upload(app, draft, contributor, samples.pdf() + b"\0" * (3 * MB))
        assert response.status_code == 413
        assert_hardened(response)
        assert opened == [] and list(temp_dir.iterdir()) == []
        assert {os.path.join(d, f) for d, _, fs in os.walk(storage) for f in fs} == before
        assert model.Session.query(model.Resource).filter_by(
            package_id=draft["id"], name="Big handbook").count() == 0

    def test_upload_at_the_limit_is_read_and_judged(self, app, draft, contributor,
                                                    file_streams):
        opened, _ = file_streams
        response = self._upload(app, draft, contributor,
                                samples.pdf() + b"\0" * (MB - len(samples.pdf()) - 1))
        assert response.status_code == 200, response.body
        assert len(opened) == 1
