"""A real SMTP server (aiosmtpd) the portal mails to, and the outbox's
delivery run as the worker runs it."""
from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from ckan.lib import jobs

from ckanext.learning.mail import delivery

# the workflow tests' organisations, users and resources in each state
from ckanext.learning.tests.workflow.conftest import (  # noqa: F401
    contributor,
    cso,
    cso_admin,
    draft,
    odc,
    pending,
    published,
    registered,
    reviewer,
)


class Inbox:
    """What the SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]


class MailServer:
    """An SMTP server on one port that can answer, refuse or hang."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.inbox = Inbox()
        self.controller = None
        self.hung = None

    def start(self):
        self.stop()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def refuse(self):
        """Nothing listens: connections are refused."""
        self.stop()

    def hang(self):
        """Connections are accepted and never answered."""
        self.stop()
        self.hung = socket.create_server(("127.0.0.1", self.port))

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        if self.hung is not None:
            self.hung.close()
            self.hung = None


@pytest.fixture
def mail_server(ckan_config, monkeypatch):
    server = MailServer()
    server.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{server.port}")
    monkeypatch.setitem(ckan_config, "ckanext.learning.review.notify", True)
    monkeypatch.setitem(ckan_config, "ckanext.learning.mail.timeout", 1)
    monkeypatch.setitem(ckan_config, "ckanext.learning.mail.retry_seconds", 1)
    _empty(jobs.get_queue(delivery.QUEUE))
    yield server
    server.stop()
    _empty(jobs.get_queue(delivery.QUEUE))


def _empty(queue):
    """No job or scheduled retry of an earlier test is left to run."""
    queue.empty()
    queue.connection.delete(delivery._pending_key())
    registry = queue.scheduled_job_registry
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)


@pytest.fixture
def inbox(mail_server):
    return mail_server.inbox


def deliver():
    """What the worker does with a delivery job, in this process."""
    return delivery.deliver_due()


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()
