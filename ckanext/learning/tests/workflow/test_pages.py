"""The contribution pages through CKAN's test client, as each role sees them:
the Contribute entry point, one's submissions, the review queue, the review
panel of a resource page and the forms that drive the workflow."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan.lib import search
from ckan.tests import factories

from ckanext.learning.tests.workflow.conftest import api

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]


def auth(user):
    token = factories.APIToken(user=user["name"])["token"]
    return {"Authorization": token}


def page(app, url, user=None, status=200):
    return app.get(url, headers=auth(user) if user else {}, status=status).body


def post(app, url, user, data, status=302):
    return app.post(url, data=data, headers=auth(user), status=status,
                    follow_redirects=False)


def status_of(dataset_id):
    from ckanext.learning.workflow import states
    package = model.Package.get(dataset_id)
    model.Session.refresh(package)
    return states.status_of(package)


class TestContribute:
    def test_visitor_is_asked_to_log_in(self, app):
        body = page(app, "/contribute")
        assert "/user/login" in body
        assert "right to share" in body  # the terms are public

    def test_contributor_gets_the_new_resource_form(self, app, cso, contributor):
        body = page(app, "/contribute", contributor)
        assert f"/learning-resource/new?group={cso['id']}" in body
        assert "/learning/submissions" in body

    def test_page_in_khmer(self, app, contributor):
        body = page(app, "/km/contribute", contributor)
        assert 'lang="km"' in body
        assert "ដាក់ស្នើ" in body  # the terms in Khmer

    def test_registered_user_asks_to_join(self, app, cso, cso_admin, registered):
        body = page(app, "/contribute", registered)
        assert "learning-join" in body
        post(app, "/contribute/join", registered,
             {"organization": cso["name"], "message": "Trainer at the CSO"})
        requests = api(cso_admin).action.learning_membership_request_list()
        assert [(r["user"], r["message"]) for r in requests] == [
            (registered["name"], "Trainer at the CSO")]
        body = page(app, "/learning/membership", cso_admin)
        assert "Trainer at the CSO" in body
        post(app, f"/learning/membership/{requests[0]['id']}", cso_admin,
             {"decision": "approve"})
        assert f"/learning-resource/new?group={cso['id']}" in page(
            app, "/contribute", registered)

    def test_admins_find_the_requests_to_join_from_contribute(
            self, app, cso, cso_admin, contributor, registered):
        """The only way to them was the reviewers' queue."""
        body = page(app, "/contribute", cso_admin)
        assert 'href="/learning/membership"' in body and "0 waiting" in body
        api(registered).action.learning_membership_request_create(organization=cso["name"])
        assert "1 waiting" in page(app, "/contribute", cso_admin)
        assert "1 កំពុងរង់ចាំ" in page(app, "/km/contribute", cso_admin)
        # an editor accepts nobody: no link
        assert 'href="/learning/membership"' not in page(app, "/contribute", contributor)

    def test_join_needs_login(self, app, cso):
        app.post("/contribute/join", data={"organization": cso["name"]}, status=403)


class TestResourcePage:
    def test_owner_submits_from_the_page(self, app, draft, contributor, reviewer):
        body = page(app, f"/learning-resource/{draft['name']}", contributor)
        assert "learning-submit" in body and "accept_terms" in body
        # without the terms: refused with the reason, nothing changes
        post(app, f"/learning/submit/{draft['id']}", contributor, {"comment": "x"})
        assert status_of(draft["id"]) == "draft"
        post(app, f"/learning/submit/{draft['id']}", contributor,
             {"accept_terms": "true", "comment": "Ready"})
        assert status_of(draft["id"]) == "pending"
        body = page(app, f"/learning-resource/{draft['name']}", contributor)
        assert "Waiting for review" in body and "Ready" in body

    def test_visitors_and_other_csos_see_no_panel(self, app, published, outsider):
        assert "learning-review" not in page(app, f"/learning-resource/{published['name']}")
        assert "learning-review" not in page(
            app, f"/learning-resource/{published['name']}", outsider)

    def test_reviewer_decides_from_the_queue(self, app, pending, reviewer, contributor):
        body = page(app, "/learning/review", reviewer)
        assert pending["name"] in body and "Approve and publish" in body
        post(app, f"/learning/decide/{pending['id']}", reviewer,
             {"decision": "return", "comment": "Add the Khmer summary",
              "came_from": "/learning/review"})
        assert status_of(pending["id"]) == "returned"
        body = page(app, "/learning/submissions", contributor)
        assert "Returned for changes" in body and "Add the Khmer summary" in body

    def test_return_without_comment_is_refused_on_the_page(self, app, pending, reviewer):
        response = post(app, f"/learning/decide/{pending['id']}", reviewer,
                        {"decision": "return"})
        assert status_of(pending["id"]) == "pending"
        assert response.status_code == 302

    def test_queue_and_decisions_are_for_reviewers_only(self, app, pending, contributor,
                                                        cso_admin):
        page(app, "/learning/review", contributor, status=403)
        page(app, "/learning/review", status=403)
        post(app, f"/learning/decide/{pending['id']}", cso_admin,
             {"decision": "approve"}, status=403)
        assert status_of(pending["id"]) == "pending"

    def test_submissions_need_login(self, app):
        page(app, "/learning/submissions", status=403)

    def test_approve_from_the_page_publishes(self, app, pending, reviewer):
        post(app, f"/learning/decide/{pending['id']}", reviewer, {"decision": "approve"})
        assert status_of(pending["id"]) == "published"
        assert "Community forest patrol handbook" in page(
            app, f"/learning-resource/{pending['name']}")

    def test_edit_form_continues_an_unsubmitted_revision(self, app, published,
                                                         contributor):
        api(contributor).action.package_patch(
            id=published["id"], title_translated={"en": "Second edition",
                                                  "km": "បោះពុម្ពលើកទីពីរ"})
        form = page(app, f"/learning-resource/edit/{published['name']}", contributor)
        assert "Second edition" in form
        public = page(app, f"/learning-resource/{published['name']}")
        assert "Second edition" not in public


class TestNavigation:
    def test_contribute_in_the_menu_and_queue_for_reviewers(self, app, reviewer,
                                                            contributor):
        assert "/contribute" in page(app, "/dataset/")
        assert "/learning/review" in page(app, "/dataset/", reviewer)
        assert "/learning/review" not in page(app, "/dataset/", contributor)


class TestForm:
    def test_contributors_are_told_instead_of_offered_visibility(self, app, cso,
                                                                 contributor, reviewer):
        form = page(app, f"/learning-resource/new?group={cso['id']}", contributor)
        assert 'name="private"' not in form
        assert "learning-visibility-note" in form
        assert 'name="private"' in page(app, "/learning-resource/new", reviewer)

    def test_last_step_says_draft_not_publish_to_contributors(self, app, cso,
                                                             contributor):
        from ckanext.learning.tests.workflow.conftest import resource_dict
        started = api(contributor).action.package_create(
            **resource_dict(cso, name="half-done", resources=[]))
        # as the web form's first stage leaves it
        model.Package.get(started["id"]).state = "draft"
        model.repo.commit()
        search.rebuild(started["id"])
        form = page(app, f"/learning-resource/{started['name']}/resource/new", contributor)
        assert "Save draft" in form
        assert ">Publish<" not in form.replace(" ", "").replace("\n", "")
