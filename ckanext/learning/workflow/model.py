"""Tables of the contribution workflow (created by migration 0003).

A dataset's review status, the revisions waiting on published datasets, the
audit trail and the requests to join an organisation live apart from the
dataset itself: nothing a contributor sends through ``package_update`` can
reach them, only the workflow actions can.  Declared on CKAN's metadata, so
``ckan db clean`` and test resets empty them with the datasets.
"""
from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model.types import make_uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["ReviewStatus", "Revision", "ReviewEvent", "MembershipRequest"]


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class ReviewStatus(tk.BaseModel):  # type: ignore[misc, valid-type]
    """Where a dataset stands in review; absent for datasets that predate
    the workflow (see ``states.status_of``)."""
    __tablename__ = "learning_review_status"

    package_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
        primary_key=True)
    status: Mapped[str] = mapped_column(sa.UnicodeText)
    modified: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class Revision(tk.BaseModel):  # type: ignore[misc, valid-type]
    """A contributor's edit of a published dataset, held until review."""
    __tablename__ = "learning_revision"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True,
                                    default=make_uuid)
    package_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(sa.UnicodeText)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class ReviewEvent(tk.BaseModel):  # type: ignore[misc, valid-type]
    """One line of a dataset's audit trail: who did what, when, and why."""
    __tablename__ = "learning_review_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True,
                                    default=make_uuid)
    package_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"))
    revision_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText)
    action: Mapped[str] = mapped_column(sa.UnicodeText)
    from_status: Mapped[str | None] = mapped_column(sa.UnicodeText)
    to_status: Mapped[str] = mapped_column(sa.UnicodeText)
    comment: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    terms_version: Mapped[str | None] = mapped_column(sa.UnicodeText)
    terms_text: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class MembershipRequest(tk.BaseModel):  # type: ignore[misc, valid-type]
    """A registered user's request to contribute for an organisation."""
    __tablename__ = "learning_membership_request"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True,
                                    default=make_uuid)
    user_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"))
    group_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    status: Mapped[str] = mapped_column(sa.UnicodeText)
    decided_by: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    decided: Mapped[datetime.datetime | None] = mapped_column()
