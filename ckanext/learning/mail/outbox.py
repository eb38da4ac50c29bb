"""Writing mail into the outbox, in the caller's transaction."""
from __future__ import annotations

import logging
from collections.abc import Iterable

import ckan.model as model
import sqlalchemy as sa

from ckanext.learning.mail.model import OutboxMail

__all__ = ["queue", "undelivered"]

log = logging.getLogger(__name__)

#: ``Session.info`` key: a delivery is asked for when this session commits.
_DISPATCH = "learning_mail_dispatch"


def queue(recipients: Iterable[model.User], subject: str, body: str) -> list[str]:
    """Add a mail for each recipient to the current transaction; once it
    commits, a background job delivers them.  Returns the names of the
    recipients who have no address (nothing can reach them)."""
    session = model.Session()
    unreachable = []
    added = False
    for user in recipients:
        if not user.email:
            unreachable.append(user.name)
            continue
        session.add(OutboxMail(recipient=user.name, address=user.email,
                               subject=subject, body=body))
        added = True
    if added and not session.info.get(_DISPATCH):
        session.info[_DISPATCH] = True
        sa.event.listen(session, "after_commit", _dispatch, once=True)
    return unreachable


def _dispatch(session: sa.orm.Session) -> None:
    session.info.pop(_DISPATCH, None)
    from ckanext.learning.mail import delivery

    delivery.enqueue()


def undelivered(limit: int = 100) -> list[OutboxMail]:
    """Mail still waiting, oldest first."""
    return (model.Session.query(OutboxMail).filter(OutboxMail.sent.is_(None))
            .order_by(OutboxMail.created).limit(limit).all())
