"""The outbox table (created by migration 0009)."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model.types import make_uuid
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.learning.workflow.model import utcnow

__all__ = ["OutboxMail"]


class OutboxMail(tk.BaseModel):  # type: ignore[misc, valid-type]
    """One mail to one recipient, kept until delivered (then kept as the
    record that it was)."""
    __tablename__ = "learning_mail_outbox"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True,
                                    default=make_uuid)
    recipient: Mapped[str] = mapped_column(sa.UnicodeText)  # the user's name
    address: Mapped[str] = mapped_column(sa.UnicodeText)
    subject: Mapped[str] = mapped_column(sa.UnicodeText)
    body: Mapped[str] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    sent: Mapped[datetime.datetime | None] = mapped_column(nullable=True)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "recipient": self.recipient, "subject": self.subject,
                "created": self.created.isoformat(), "attempts": self.attempts,
                "next_attempt": self.next_attempt.isoformat(),
                "last_error": self.last_error,
                "sent": self.sent.isoformat() if self.sent else None}
