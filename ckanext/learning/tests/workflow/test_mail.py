"""Notifications through CKAN's mailer, received by a real local SMTP server
(aiosmtpd); a dead mail server never loses a submission or a decision."""
from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from ckan.tests import factories

from ckanext.learning.tests.workflow.conftest import api

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(ckan_config, monkeypatch):
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "ckanext.learning.review.notify", True)
    yield handler
    controller.stop()


@pytest.fixture
def dead_mail_server(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")
    monkeypatch.setitem(ckan_config, "ckanext.learning.review.notify", True)


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_reviewers_are_told_of_a_submission(inbox, draft, contributor, reviewer, odc):
    factories.Sysadmin(email="sysadmin@example.org")
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True,
                                            comment="Please check the Khmer title")
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
    received = inbox.to(contributor["email"])
    assert len(received) == 1
    assert word in body(received[0])
    assert "See the notes on page 2" in body(received[0])
    assert [rcpt for rcpt, _m in inbox.messages] == [[contributor["email"]]]


def test_a_dead_mail_server_loses_nothing(dead_mail_server, draft, contributor, reviewer):
    reply = api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    assert reply["status"] == "pending"
    assert reviewer["name"] in reply["mail_failed"]
    queue = api(reviewer).action.learning_review_queue()
    assert [e["id"] for e in queue] == [draft["id"]]
    decided = api(reviewer).action.learning_review(id=draft["id"], decision="approve")
    assert decided["status"] == "published"
    assert decided["mail_failed"] == [contributor["name"]]
    assert api().action.package_show(id=draft["id"])["private"] is False


def test_organisation_admins_are_told_of_a_request_to_join(inbox, cso, cso_admin,
                                                           registered):
    api(registered).action.learning_membership_request_create(
        organization=cso["name"], message="Youth programme officer")
    received = inbox.to(cso_admin["email"])
    assert len(received) == 1
    assert "Youth programme officer" in body(received[0])
    request_id = api(cso_admin).action.learning_membership_request_list()[0]["id"]
    api(cso_admin).action.learning_membership_request_decide(id=request_id,
                                                             decision="approve")
    assert "accepted" in body(inbox.to(registered["email"])[0])
