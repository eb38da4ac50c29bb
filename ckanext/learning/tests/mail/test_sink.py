"""``ckan learning mail-sink``, the mail server of ``make run``: a real
process receiving the portal's real delivery and keeping each mail as an
``.eml`` file, Khmer intact; and the ``ckan.ini`` that ``make run`` writes
pointing the portal at it."""
from __future__ import annotations

import configparser
import email
import email.policy
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from ckan import model
from ckan.lib import jobs
from ckan.tests import factories

from ckanext.learning.mail import delivery
from ckanext.learning.mail.model import OutboxMail
from ckanext.learning.mail.sink import EmlDirectory, readable
from ckanext.learning.tests.mail.conftest import _empty, body
from ckanext.learning.tests.workflow.conftest import api

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

REPO = Path(__file__).resolve().parents[4]
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")
#: An .eml file's name: UTC time of arrival, then a random part.
NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.eml$")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """``ckan learning mail-sink`` in a process of its own."""

    def __init__(self, ckan_config, directory, port):
        self.directory, self.port = directory, port
        env = dict(os.environ, CKAN_SQLALCHEMY_URL=ckan_config["sqlalchemy.url"],
                   CKAN_REDIS_URL=ckan_config["ckan.redis.url"])
        self.process = subprocess.Popen(
            [CKAN, "-c", ckan_config["__file__"], "learning", "mail-sink",
             "--port", str(port), "--directory", str(directory)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.ready = self._line_with("Mail sink on")

    def _line_with(self, text, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if text in line:
                return line
            if not line and self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read()[-2000:])
        raise AssertionError(f"no line with {text!r}")

    def next_line(self):
        return self._line_with("[mail] ")

    def files(self):
        return sorted(p.name for p in self.directory.iterdir())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def sink(ckan_config, monkeypatch, tmp_path):
    """The sink on a free port, and the portal mailing to it as ``make run``
    sets it up (``smtp.server``)."""
    running = Sink(ckan_config, tmp_path / "mail", _free_port())
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{running.port}")
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "learning-platform@localhost")
    monkeypatch.setitem(ckan_config, "ckanext.learning.review.notify", True)
    _empty(jobs.get_queue(delivery.QUEUE))
    yield running
    running.stop()
    _empty(jobs.get_queue(delivery.QUEUE))


def _read(path):
    with open(path, "rb") as eml:
        return email.message_from_binary_file(eml, policy=email.policy.default)


def test_the_portals_mail_ends_in_eml_files(sink, draft, contributor, reviewer, odc):
    """A submission with a Khmer title: the worker's delivery reaches the
    sink, which keeps one file per mail, Khmer intact, named in order."""
    factories.Sysadmin(name="second-reviewer", email="second@example.org")
    api(contributor).action.package_patch(id=draft["id"], title_translated={
        "en": "Community forest patrol handbook", "km": "សៀវភៅល្បាតព្រៃសហគមន៍"})
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True,
                                            comment="សូមពិនិត្យចំណងជើងខ្មែរ")
    assert sink.files() == []  # the request did not wait on SMTP
    assert delivery.deliver_due() == 2
    lines = [sink.next_line(), sink.next_line()]
    names = sink.files()
    assert len(names) == 2 and all(NAME.match(n) for n in names), names
    assert all(str(sink.directory) in line and "ត្រូវពិនិត្យ" in line for line in lines)
    model.Session.remove()
    sent = {m.address: m for m in model.Session.query(OutboxMail)}
    assert all(m.sent for m in sent.values())
    by_address = {}
    for name in names:
        message = _read(sink.directory / name)
        by_address[message["Delivered-To"]] = message
    assert set(by_address) == {reviewer["email"], "second@example.org"}
    message = by_address[reviewer["email"]]
    assert message["Return-Path"] == "<learning-platform@localhost>"
    # what the portal wrote is what the file holds, Khmer and all
    assert message["Subject"] == sent[reviewer["email"]].subject
    assert "ត្រូវពិនិត្យ" in message["Subject"]
    text = body(message)
    assert text.strip() == sent[reviewer["email"]].body.strip()
    assert "ដាក់ស្នើ" in text and "submitted" in text
    assert "សូមពិនិត្យចំណងជើងខ្មែរ" in text
    assert f"/learning-resource/{draft['name']}" in text
    # arrival order is name order
    first, second = (os.stat(sink.directory / n).st_mtime_ns for n in names)
    assert first <= second


def test_each_message_is_kept_byte_for_byte(tmp_path):
    """What the SMTP client sent, 8-bit Khmer body and all, after the two
    delivery lines; never a partial file."""
    raw = ("From: ODC <learning@example.org>\r\nTo: a@example.org\r\n"
           "Subject: =?utf-8?b?4Z6P4Z+S4Z6a4Z684Z6c4Z6W4Z634Z6T4Z634Z6P4Z+S4Z6Z?=\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n"
           "ព្រៃឈើសហគមន៍\r\n").encode()
    kept = EmlDirectory(tmp_path / "mail", announce=lambda line: None)
    paths = [kept.keep("<learning@example.org>", ["a@example.org", "b@example.org"], raw)
             for _ in range(3)]
    assert sorted(p.name for p in (tmp_path / "mail").iterdir()) == [p.name for p in paths]
    assert len(set(paths)) == 3
    assert paths[0].read_bytes() == (b"Return-Path: <learning@example.org>\r\n"
                                     b"Delivered-To: a@example.org\r\n"
                                     b"Delivered-To: b@example.org\r\n") + raw
    assert _read(paths[0])["Subject"] == "ត្រូវពិនិត្យ"


def test_a_kept_mail_reads_as_a_person_reads_it(tmp_path):
    """``python -m ckanext.learning.mail.sink``: the portal's mails carry
    Khmer in encoded headers and a base64 body; they print decoded."""
    message = EmailMessage()
    message["From"] = "Learning Platform <learning-platform@localhost>"
    message["To"] = "sokha <sokha@example.org>"
    message["Subject"] = "បានផ្សព្វផ្សាយ / Published: ព្រៃឈើ"
    message.set_content("«ព្រៃឈើ» ត្រូវបានអនុម័ត និងផ្សព្វផ្សាយដោយអ្នកពិនិត្យ។\n")
    raw = message.as_bytes()
    assert "ព្រៃឈើ".encode() not in raw  # encoded on the wire...
    path = EmlDirectory(tmp_path, announce=lambda line: None).keep(
        "learning-platform@localhost", ["sokha@example.org"], raw)
    text = readable(path)  # ...and read back as written
    assert "Subject: បានផ្សព្វផ្សាយ / Published: ព្រៃឈើ" in text
    assert "«ព្រៃឈើ» ត្រូវបានអនុម័ត" in text
    done = subprocess.run([sys.executable, "-m", "ckanext.learning.mail.sink", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "«ព្រៃឈើ» ត្រូវបានអនុម័ត" in done.stdout


def test_smtputf8_mail_is_kept_too(sink):
    """A client that sends UTF-8 headers as they are (SMTPUTF8)."""
    message = EmailMessage()
    message["From"] = "learning-platform@localhost"
    message["To"] = "សុខា <sokha@example.org>"
    message["Subject"] = "សួស្តី"
    message.set_content("ព្រៃឈើ")
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
        client.send_message(message, mail_options=["SMTPUTF8"])
    assert "សួស្តី" in sink.next_line()
    [name] = sink.files()
    kept = _read(sink.directory / name)
    assert kept["Subject"] == "សួស្តី" and body(kept).strip() == "ព្រៃឈើ"


def test_it_stops_on_sigterm(sink):
    assert sink.stop() == 0


def test_a_taken_port_is_said_clearly(ckan_config, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = dict(os.environ, CKAN_SQLALCHEMY_URL=ckan_config["sqlalchemy.url"])
        done = subprocess.run(
            [CKAN, "-c", ckan_config["__file__"], "learning", "mail-sink",
             "--port", str(port), "--directory", str(tmp_path)],
            env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr


def test_make_runs_config_points_the_portal_at_the_sink(tmp_path):
    """``bin/write-config`` (what ``make run`` calls) sends mail to the sink
    on PORT + 20000, or the MAIL_PORT given, and says where it keeps it."""
    ini = tmp_path / "ckan.ini"
    for args, port in (([], 25077), (["2626"], 2626)):
        subprocess.run([str(REPO / "bin/write-config"), str(ini), "ckan_learning_unused",
                        "5077", *args], check=True, capture_output=True, timeout=300,
                       env=dict(os.environ, CKAN=CKAN))
        parser = configparser.RawConfigParser(strict=False)
        parser.read(ini)
        options = parser["app:main"]
        assert options["smtp.server"] == f"127.0.0.1:{port}"
        assert options["ckanext.learning.mail.sink_port"] == str(port)
        assert options["ckanext.learning.mail.sink_directory"] == str(REPO / "var/mail")
        assert options["smtp.mail_from"]
        assert options["smtp.starttls"] == "false"
