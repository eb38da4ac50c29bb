"""A mail sink for ``make run``: a local SMTP server (aiosmtpd) that keeps
each message it is given as an ``.eml`` file, so a portal with no mail
server still delivers every mail (the outbox empties, nobody sees an error)
and a developer can read what each person was told.

Each message is written as the bytes it arrived in (Khmer subjects and
bodies are never decoded and re-encoded), after two lines a local delivery
adds (``Return-Path``, ``Delivered-To``).  File names start with the UTC
time of arrival, so they sort in the order mail came, and end with a random
part, so two never clash; a file appears whole or not at all (written
beside, then renamed).  Production (``docker/``) mails a real server.

``python -m ckanext.learning.mail.sink [FILE.eml ...]`` prints mails as a
person reads them (headers and text decoded; the newest of ``var/mail/``
when no file is named).
"""
from __future__ import annotations

import datetime
import email
import email.policy
import logging
import os
import sys
import threading
import uuid
from collections.abc import Callable
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

__all__ = ["EmlDirectory", "serve", "readable"]

log = logging.getLogger(__name__)


class EmlDirectory:
    """aiosmtpd handler: every message becomes one ``.eml`` file in a
    directory (made if missing)."""

    def __init__(self, directory: str | os.PathLike[str],
                 announce: Callable[[str], None] = log.info) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.announce = announce

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        path = self.keep(envelope.mail_from or "", list(envelope.rcpt_tos),
                         envelope.original_content or b"")
        self.announce(_summary(path))
        return f"250 OK kept as {path.name}"

    def keep(self, mail_from: str, recipients: list[str], content: bytes) -> Path:
        """Write one message; returns its file."""
        trace = [f"Return-Path: <{mail_from.strip('<>')}>"]
        trace += [f"Delivered-To: {address}" for address in recipients]
        now = datetime.datetime.now(datetime.UTC)
        name = f"{now:%Y%m%dT%H%M%S.%fZ}-{uuid.uuid4().hex[:8]}.eml"
        final = self.directory / name
        partial = self.directory / f".{name}.part"
        with open(partial, "xb") as out:
            out.write("\r\n".join(trace).encode("ascii", "backslashreplace") + b"\r\n")
            out.write(content)
        os.replace(partial, final)
        return final


def _summary(path: Path) -> str:
    """One line for the terminal: the file, to whom, the decoded subject."""
    with open(path, "rb") as eml:
        headers = BytesHeaderParser().parse(eml)

    def text(name: str) -> str:
        value = headers.get(name)
        return str(make_header(decode_header(value))) if value else ""

    return f"[mail] {path}  To: {text('To')}  Subject: {text('Subject')}"


def serve(directory: str | os.PathLike[str], host: str, port: int,
          stop: threading.Event, announce: Callable[[str], None] = log.info) -> None:
    """Receive mail on ``host:port`` into ``directory`` until ``stop`` is set.

    :raises OSError: when the port cannot be listened on (taken, say)
    """
    from aiosmtpd.controller import Controller

    handler = EmlDirectory(directory, announce)
    controller = Controller(handler, hostname=host, port=port,
                            server_hostname="learning-mail-sink")
    controller.start()  # raises if the port cannot be bound
    try:
        announce(f"[mail] Mail sink on {host}:{port}: every message is a .eml file "
                 f"in {handler.directory}")
        stop.wait()
    finally:
        controller.stop()


def readable(path: str | os.PathLike[str]) -> str:
    """A kept mail as a person reads it: who, what, when, and its text."""
    with open(path, "rb") as eml:
        message = email.message_from_binary_file(eml, policy=email.policy.default)
    lines = [f"{name}: {message[name]}" for name in ("From", "To", "Subject", "Date")
             if message[name]]
    text = message.get_body(preferencelist=("plain",))
    return "\n".join([*lines, "", text.get_content() if text is not None else ""])


def _main(argv: list[str]) -> int:
    paths = argv or sorted(Path("var/mail").glob("*.eml"))[-1:]
    if not paths:
        print("No mail in var/mail/ yet.", file=sys.stderr)
        return 1
    for path in paths:
        print(f"==> {path}\n{readable(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
