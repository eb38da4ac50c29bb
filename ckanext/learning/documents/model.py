"""The text read from each uploaded document (created by migration 0008).

One row per resource: its status (``extract.STATUSES``), the text of each
page, the page count, which library read it and, on failure, why.  Kept
apart from the resource so that no ``resource_update`` can write it, only
the job (:mod:`..jobs`).  Declared on CKAN's metadata, so ``ckan db clean``
and test resets empty it with the datasets.
"""
from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["DocumentText", "for_resource", "texts_of_package"]


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class DocumentText(tk.BaseModel):  # type: ignore[misc, valid-type]
    """What the job read from one resource's uploaded file."""
    __tablename__ = "learning_document_text"

    resource_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True)
    status: Mapped[str] = mapped_column(sa.UnicodeText)
    pages: Mapped[list[str]] = mapped_column(JSONB, default=list)
    page_count: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    extractor: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    reason: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    #: size and modification time of the file read, to skip unchanged files
    source: Mapped[str] = mapped_column(sa.UnicodeText, default="")
    #: the cover's path below ``ckan.storage_path``, if one was made
    cover: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    modified: Mapped[datetime.datetime] = mapped_column(default=_utcnow,
                                                        onupdate=_utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"resource_id": self.resource_id, "status": self.status,
                "page_count": self.page_count, "extractor": self.extractor,
                "reason": self.reason, "cover": self.cover,
                "modified": self.modified.isoformat() if self.modified else None}


def for_resource(resource_id: str) -> DocumentText | None:
    return model.Session.get(DocumentText, resource_id)


def texts_of_package(package_id: str) -> list[DocumentText]:
    """The rows of the dataset's active resources, in resource order."""
    return (model.Session.query(DocumentText)
            .join(model.Resource, model.Resource.id == DocumentText.resource_id)
            .filter(model.Resource.package_id == package_id,
                    model.Resource.state == "active")
            .order_by(model.Resource.position)
            .all())
