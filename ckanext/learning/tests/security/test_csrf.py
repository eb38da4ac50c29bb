"""CSRF protection of cookie-authenticated requests holds, whatever token or
anonymous requests came before (issue 14): core exempts a view from the
check for the process once an API token (or no user) called it; ours
(``security/csrf.py``) keeps the exemption to that one request."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan.config.middleware import flask_app
from flask_wtf.csrf import CSRFProtect

from ckanext.learning.security.csrf import RequestScopedExemptions
from ckanext.learning.tests.security.conftest import (
    CSRF_FIELD,
    api,
    csrf_token,
    log_in,
    logged_in_as,
    resource_dict,
    token_header,
)
from ckanext.learning.workflow import states

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

EVIL = {"Origin": "https://evil.example", "Referer": "https://evil.example/page"}


@pytest.fixture(autouse=True)
def fresh_process():
    """As in a process that served no request yet: forget exemptions earlier
    tests left in core's process-wide set (no view of ours or core's is
    exempted at import time)."""
    set.clear(flask_app.csrf._exempt_views)


def status_of(dataset_id: str) -> str:
    package = model.Package.get(dataset_id)
    model.Session.refresh(package)
    return states.status_of(package)


def logged_in(app, user):
    assert log_in(app, user["name"]).status_code == 302
    assert logged_in_as(app, user)


class TestActionApi:
    @pytest.mark.parametrize("first_call", ["token", "anonymous"])
    def test_cookie_call_without_token_is_refused(self, app, pending, contributor,
                                                  first_call):
        # the action API is one view function: any action opens all of them
        headers = token_header(contributor) if first_call == "token" else {}
        app.get("/api/3/action/status_show", headers=headers, status=200)
        logged_in(app, contributor)
        reply = app.post("/api/3/action/learning_withdraw", json={"id": pending["id"]},
                         headers=EVIL)
        assert reply.status_code == 400
        assert status_of(pending["id"]) == "pending"
        # the same cookie session with the page's CSRF token is let through
        reply = app.post("/api/3/action/learning_withdraw", json={"id": pending["id"]},
                         headers={"X-CSRFToken": csrf_token(app, "/dataset/")})
        assert reply.status_code == 200
        assert status_of(pending["id"]) == "draft"

    def test_token_calls_need_no_csrf_token(self, app, pending, contributor):
        reply = app.post("/api/3/action/learning_withdraw", json={"id": pending["id"]},
                         headers={**token_header(contributor), **EVIL})
        assert reply.status_code == 200
        assert status_of(pending["id"]) == "draft"


class TestForms:
    @pytest.fixture
    def dataset(self, cso, contributor):
        return api(contributor).action.package_create(
            type="dataset", name="csrf-target", title="CSRF target",
            notes="Original notes", owner_org=cso["id"])

    def _forged_edit(self, app, dataset, cso):
        return app.post("/dataset/edit/csrf-target", headers=EVIL, data={
            "name": "csrf-target", "title": "CSRF target", "owner_org": cso["id"],
            "notes": "Changed by a forged form", "save": ""}, follow_redirects=False)

    def test_edit_form_after_a_token_get_is_refused(self, app, dataset, cso, contributor):
        app.get("/dataset/edit/csrf-target", headers=token_header(contributor), status=200)
        logged_in(app, contributor)
        assert self._forged_edit(app, dataset, cso).status_code == 400
        assert model.Package.get(dataset["id"]).notes == "Original notes"

    def test_edit_form_with_its_token_still_saves(self, app, dataset, cso, contributor):
        logged_in(app, contributor)
        token = csrf_token(app, "/dataset/edit/csrf-target")
        reply = app.post("/dataset/edit/csrf-target", data={
            "name": "csrf-target", "title": "CSRF target", "owner_org": cso["id"],
            "notes": "Changed on purpose", "save": "", CSRF_FIELD: token},
            follow_redirects=False)
        assert reply.status_code == 302
        model.Session.expire_all()
        assert model.Package.get(dataset["id"]).notes == "Changed on purpose"

    def test_workflow_form_after_a_token_post_to_another_is_refused(
            self, app, cso, pending, contributor):
        # a token submit (of another draft) must not open withdraw by cookie
        other = api(contributor).action.package_create(
            **resource_dict(cso, name="other-handbook"))
        app.post(f"/learning/submit/{other['id']}", data={"accept_terms": "true"},
                 headers=token_header(contributor), follow_redirects=False)
        logged_in(app, contributor)
        reply = app.post(f"/learning/withdraw/{pending['id']}", headers=EVIL,
                         data={"came_from": "/"}, follow_redirects=False)
        assert reply.status_code == 400
        assert status_of(pending["id"]) == "pending"

    def test_workflow_forms_are_distinct_view_functions(self, app):
        views = app.flask_app.view_functions
        names = {f"{views[e].__module__}.{views[e].__name__}"
                 for e in ("learning.submit", "learning.decide", "learning.withdraw")}
        assert len(names) == 3


class TestSeam:
    """Core's private parts the fix relies on (ckan/config/middleware/flask_app.py,
    flask_wtf/csrf.py)."""

    def test_core_csrf_object_holds_a_request_scoped_set(self, app):
        assert isinstance(flask_app.csrf, CSRFProtect)
        assert isinstance(flask_app.csrf._exempt_views, RequestScopedExemptions)
        assert app.flask_app.extensions["csrf"] is flask_app.csrf

    def test_a_token_request_leaves_no_process_wide_exemption(
            self, app, contributor):
        app.get("/api/3/action/status_show", headers=token_header(contributor), status=200)
        assert "ckan.views.api.action" not in flask_app.csrf._exempt_views
        assert not set(flask_app.csrf._exempt_views)
