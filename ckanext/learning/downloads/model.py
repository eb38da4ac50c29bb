"""The download counts table (created by migration 0010)."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["DownloadCount"]


class DownloadCount(tk.BaseModel):  # type: ignore[misc, valid-type]
    """How often one resource was downloaded, and when last."""
    __tablename__ = "learning_download_count"

    resource_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
        primary_key=True)
    package_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), index=True)
    count: Mapped[int] = mapped_column(default=0)
    last: Mapped[datetime.datetime | None] = mapped_column(nullable=True)
