"""Joining: a newcomer signs up from Contribute (a trap field turns robots
away), then asks to join a CSO, or for a new CSO organisation that a
reviewer adds; registered users create no organisations themselves."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan.tests import factories
from ckanapi import NotAuthorized, ValidationError

from ckanext.learning.tests.workflow.conftest import api

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

SIGN_UP = {"name": "dara", "fullname": "Dara", "email": "dara@example.org",
           "password1": "a-long-pass-phrase-1", "password2": "a-long-pass-phrase-1",
           "save": ""}


def auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


class TestSignUp:
    def test_the_portal_offers_sign_up(self):
        for ini in ("test.ini", "etc/portal-options.ini"):
            with open(ini) as f:
                text = f.read()
            assert "ckan.auth.create_user_via_web = true" in text
            assert "ckan.auth.user_create_organizations = false" in text

    def test_a_visitor_signs_up_from_contribute_and_comes_back(self, app):
        body = app.get("/km/contribute").body
        assert 'href="/km/user/register?came_from=contribute"' in body
        form = app.get("/user/register?came_from=contribute").body
        assert 'name="homepage"' in form and 'name="came_from" value="contribute"' in form
        response = app.post("/user/register", data=dict(SIGN_UP, came_from="contribute"),
                            follow_redirects=False)
        assert response.status_code == 302
        assert response.location.endswith("/contribute")
        assert model.User.get("dara") is not None

    def test_a_robot_filling_the_trap_gets_no_account(self, app):
        app.post("/user/register", data=dict(SIGN_UP, homepage="http://spam.example"),
                 status=400)
        assert model.User.get("dara") is None


class TestOrganisations:
    def test_registered_users_create_no_organisation(self, registered):
        with pytest.raises(NotAuthorized):
            api(registered).action.organization_create(name="my-own-cso")

    def test_a_newcomer_asks_for_a_new_organisation_a_reviewer_adds_it(
            self, app, registered, reviewer):
        app.post("/km/contribute/join", headers=auth(registered), data={
            "new_organization_km": "សហគមន៍ព្រៃឈើស្ទឹងត្រែង",
            "new_organization_en": "Stung Treng Forest Community",
            "new_organization_about": "Community forestry in Stung Treng.",
            "message": "I am its coordinator."})
        org = model.Group.get("stung-treng-forest-community")
        assert org is not None and org.state == "pending"
        # listed nowhere yet, and nobody can add to it
        assert "stung-treng-forest-community" not in api().action.organization_list()
        assert "អង្គការថ្មី" not in app.get("/km/organization/").body
        mine = api(registered).action.learning_membership_request_list(mine=True)
        assert [(r["organization"], r["new_organization"]) for r in mine] == [
            ("stung-treng-forest-community", True)]
        assert "កំពុងរង់ចាំអ្នកពិនិត្យ" in app.get("/km/contribute",
                                                  headers=auth(registered)).body
        # the reviewer sees it, says yes
        page = app.get("/km/learning/membership", headers=auth(reviewer)).body
        assert "សហគមន៍ព្រៃឈើស្ទឹងត្រែង" in page and "អង្គការថ្មី" in page
        waiting = api(reviewer).action.learning_membership_request_list()
        api(reviewer).action.learning_membership_request_decide(
            id=waiting[0]["id"], decision="approve")
        shown = api().action.organization_show(id="stung-treng-forest-community")
        assert shown["state"] == "active"
        assert shown["title_translated"]["km"] == "សហគមន៍ព្រៃឈើស្ទឹងត្រែង"
        assert (registered["id"], "user", "Admin") in [
            tuple(m) for m in api(reviewer).action.member_list(id=org.id, object_type="user")]
        # the newcomer may now add resources for it
        assert [o["name"] for o in api(registered).action.organization_list_for_user(
            permission="create_dataset")] == ["stung-treng-forest-community"]

    def test_a_declined_organisation_is_deleted(self, registered, reviewer):
        api(registered).action.learning_membership_request_create(
            new_organization_km="អង្គការសាកល្បង")
        waiting = api(reviewer).action.learning_membership_request_list()
        assert waiting[0]["organization"] == "angkkarsaklbang"  # in Latin letters
        api(reviewer).action.learning_membership_request_decide(
            id=waiting[0]["id"], decision="reject")
        assert model.Group.get("angkkarsaklbang").state == "deleted"

    def test_only_reviewers_decide_on_a_new_organisation(self, registered, cso_admin):
        request = api(registered).action.learning_membership_request_create(
            new_organization_en="Another CSO")
        with pytest.raises(NotAuthorized):
            api(cso_admin).action.learning_membership_request_decide(
                id=request["id"], decision="approve")
        assert request["id"] not in {
            r["id"] for r in api(cso_admin).action.learning_membership_request_list()}

    def test_a_name_is_needed(self, registered):
        with pytest.raises(ValidationError):
            api(registered).action.learning_membership_request_create(message="hello")

    def test_joining_an_existing_organisation_still_works(self, cso, cso_admin, registered):
        api(registered).action.learning_membership_request_create(organization=cso["name"])
        waiting = api(cso_admin).action.learning_membership_request_list()
        assert [(r["organization"], r["new_organization"]) for r in waiting] == [
            (cso["name"], False)]
