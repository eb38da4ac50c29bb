"""Delivering the outbox: a background job, never a request.

:func:`deliver_due` takes the due mails one at a time (``FOR UPDATE SKIP
LOCKED``: two workers never send the same mail), sends each over one SMTP
connection opened with a timeout, and commits after each, so a worker
killed halfway sends nothing twice.  A mail that fails waits
``retry_seconds``, doubled after each failure up to ``max_retry_seconds``;
then, if anything is left, the job schedules itself for when the next mail
is due (rq's scheduler runs it: ``ckan learning worker``).
"""
from __future__ import annotations

import datetime
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis

from ckanext.learning import config
from ckanext.learning.jobs import retry
from ckanext.learning.mail.model import OutboxMail
from ckanext.learning.workflow.model import utcnow

__all__ = ["QUEUE", "deliver_due", "enqueue", "enqueue_if_due"]

log = logging.getLogger(__name__)

#: The jobs queue of mail (``ckan learning worker`` listens to it too).
QUEUE = "learning-mail"
#: Mails one job sends at most (the rest: the next job, at once).
BATCH = 200
#: Seconds a queued delivery stops others being queued (if it is lost, the
#: next change or the worker's sweep queues one after this).
PENDING_SECONDS = 300


def enqueue() -> None:
    """Ask a worker to deliver what is due, unless a delivery already waits
    in the queue (one delivers everything: changes in a burst do not pile
    up jobs).  If Redis is down the mail waits in the outbox, where the
    worker's sweep (``jobs.Worker``) finds it (logged, never raised)."""
    try:
        redis = connect_to_redis()
        if not redis.set(_pending_key(), "1", nx=True, ex=PENDING_SECONDS):
            return
        try:
            tk.enqueue_job(deliver_due, queue=QUEUE, title="Deliver the mail outbox",
                           rq_kwargs=retry())
        except Exception:
            redis.delete(_pending_key())
            raise
    except Exception as err:  # noqa: BLE001 - redis-py raises several kinds
        log.warning("Mail waits in the outbox: could not ask for delivery: %s", err)


def enqueue_if_due() -> None:
    """The worker's sweep: a delivery for mail that is due and that no job
    was queued for (written while Redis was down)."""
    due = model.Session.execute(
        sa.select(sa.func.count()).select_from(OutboxMail)
        .where(OutboxMail.sent.is_(None), OutboxMail.next_attempt <= utcnow())).scalar()
    model.Session.remove()
    if due:
        enqueue()


def _pending_key() -> str:
    return jobs.add_queue_name_prefix("learning-mail-delivery-queued")


def deliver_due() -> int:
    """Send every mail that is due; returns how many were delivered."""
    try:  # from now on a new change asks for a delivery of its own
        connect_to_redis().delete(_pending_key())
    except Exception as err:  # noqa: BLE001
        log.warning("Could not clear the queued-delivery mark: %s", err)
    delivered = 0
    connection: smtplib.SMTP | None = None
    try:
        for _ in range(BATCH):
            mail = _next_due()
            if mail is None:
                break
            try:
                connection = connection or _connect()
                connection.send_message(_message(mail))
            except (OSError, smtplib.SMTPException) as err:
                _failed(mail, err)
                connection = _close(connection)
                if not isinstance(err, smtplib.SMTPRecipientsRefused):
                    _postpone_all(err)  # the server itself failed: all wait
                    break
                continue
            mail.sent = utcnow()
            mail.attempts += 1
            model.Session.commit()
            delivered += 1
            log.info("Mail delivered to %s: %s", mail.recipient, mail.subject)
    finally:
        _close(connection)
        model.Session.rollback()
    _schedule_next()
    return delivered


def _next_due() -> OutboxMail | None:
    return (model.Session.query(OutboxMail)
            .filter(OutboxMail.sent.is_(None), OutboxMail.next_attempt <= utcnow())
            .order_by(OutboxMail.next_attempt, OutboxMail.created)
            .with_for_update(skip_locked=True).first())


def _wait(attempts: int) -> datetime.timedelta:
    seconds = config.mail_retry_seconds() * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, config.mail_max_retry_seconds()))


def _failed(mail: OutboxMail, err: BaseException) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(err).__name__}: {err}"[:500]
    mail.next_attempt = utcnow() + _wait(mail.attempts)
    model.Session.commit()
    log.warning("Mail to %s not delivered (attempt %d, next at %s UTC): %s",
                mail.recipient, mail.attempts, mail.next_attempt.isoformat(" ", "seconds"),
                mail.last_error)


def _postpone_all(err: BaseException) -> None:
    """Every other due mail waits too (one failure of the server is enough
    to know); their attempts are not counted."""
    retry = utcnow() + _wait(1)
    model.Session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.sent.is_(None), OutboxMail.next_attempt <= utcnow())
        .values(next_attempt=retry, last_error=f"{type(err).__name__}: {err}"[:500]))
    model.Session.commit()


def _schedule_next() -> None:
    due = model.Session.execute(sa.select(sa.func.min(OutboxMail.next_attempt))
                                .where(OutboxMail.sent.is_(None))).scalar()
    model.Session.rollback()
    if due is None:
        return
    when = max(due, utcnow()).replace(tzinfo=datetime.UTC)
    try:
        # one scheduled job per moment, however many deliveries asked for it
        jobs.get_queue(QUEUE).enqueue_at(
            when, deliver_due, job_timeout=_job_timeout(),
            job_id=f"learning-mail-retry-{int(when.timestamp())}")
    except Exception as err:  # noqa: BLE001
        log.warning("Could not schedule the next mail delivery: %s", err)


def _job_timeout() -> int:
    return max(180, config.mail_timeout() * 4 * BATCH // 10)


def _connect() -> smtplib.SMTP:
    host, _, port = (tk.config.get("smtp.server") or "localhost").partition(":")
    connection = smtplib.SMTP(host, int(port or 0), timeout=config.mail_timeout())
    connection.ehlo()
    if tk.config.get("smtp.starttls"):
        connection.starttls()
        connection.ehlo()
    user = tk.config.get("smtp.user")
    if user:
        connection.login(user, tk.config.get("smtp.password") or "")
    return connection


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return None
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
    return None


def _message(mail: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((tk.config.get("ckan.site_title") or "",
                                  tk.config.get("smtp.mail_from") or ""))
    message["To"] = formataddr((mail.recipient, mail.address))
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=mail.id)
    message["Auto-Submitted"] = "auto-generated"
    reply_to = tk.config.get("smtp.reply_to")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(mail.body)
    return message
