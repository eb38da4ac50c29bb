"""What each event of the workflow tells whom, received by a real local
SMTP server (aiosmtpd) once the outbox is delivered."""
from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.learning.tests.mail.conftest import body, deliver
from ckanext.learning.tests.workflow.conftest import api

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_reviewers_are_told_of_a_submission(inbox, draft, contributor, reviewer, odc):
    factories.Sysadmin(email="sysadmin@example.org")
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True,
                                            comment="Please check the Khmer title")
    assert inbox.messages == []  # the request did not wait on SMTP
    assert deliver() == 2
    assert {a for rcpt, _m in inbox.messages for a in rcpt} == {
        reviewer["email"], "sysadmin@example.org"}
    message = inbox.to(reviewer["email"])[0]
    assert "Community forest patrol handbook" in message["subject"]
    text = body(message)
    assert "submitted" in text and "ដាក់ស្នើ" in text  # both languages
    assert "Please check the Khmer title" in text
    assert f"/learning-resource/{draft['name']}" in text


@pytest.mark.parametrize("decision,word", [("approve", "approved"),
                                           ("return", "returned"),
                                           ("reject", "declined")])
def test_contributor_is_told_of_each_decision(inbox, pending, contributor, reviewer,
                                              decision, word):
    inbox.messages.clear()
    api(reviewer).action.learning_review(id=pending["id"], decision=decision,
                                         comment="See the notes on page 2")
    deliver()
    received = inbox.to(contributor["email"])
    assert len(received) == 1
    assert word in body(received[0])
    assert "See the notes on page 2" in body(received[0])
    assert [rcpt for rcpt, _m in inbox.messages] == [[contributor["email"]]]


def test_organisation_admins_are_told_of_a_request_to_join(inbox, cso, cso_admin,
                                                           registered):
    api(registered).action.learning_membership_request_create(
        organization=cso["name"], message="Youth programme officer")
    deliver()
    received = inbox.to(cso_admin["email"])
    assert len(received) == 1
    assert "Youth programme officer" in body(received[0])
    request_id = api(cso_admin).action.learning_membership_request_list()[0]["id"]
    api(cso_admin).action.learning_membership_request_decide(id=request_id,
                                                             decision="approve")
    deliver()
    assert "accepted" in body(inbox.to(registered["email"])[0])


def test_a_request_to_an_organisation_no_admin_can_read_goes_to_the_sysadmins(
        inbox, cso, registered):
    """An organisation the site made (the demo's) has only CKAN's site user
    as admin, who has no address: the sysadmins, who may decide any
    request, are told instead, and the newcomer is shown no error."""
    factories.Sysadmin(email="sysadmin@example.org")
    reply = api(registered).action.learning_membership_request_create(
        organization=cso["name"], message="Youth programme officer")
    assert reply["mail_failed"] == []
    deliver()
    assert [rcpt for rcpt, _m in inbox.messages] == [["sysadmin@example.org"]]
    assert "Youth programme officer" in body(inbox.messages[0][1])


def test_sysadmins_are_not_told_when_an_admin_is(inbox, cso, cso_admin, registered):
    factories.Sysadmin(email="sysadmin@example.org")
    api(registered).action.learning_membership_request_create(organization=cso["name"])
    deliver()
    assert [rcpt for rcpt, _m in inbox.messages] == [[cso_admin["email"]]]
