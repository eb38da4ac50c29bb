"""Template helpers of the documents."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.learning.documents.extract import EXTRACTABLE, PDF

__all__ = ["learning_cover_url", "learning_dataset_cover_url"]


def learning_cover_url(resource: dict[str, Any], qualified: bool = False) -> str:
    """Address of the resource's cover (the first page of a PDF), or of its
    type icon when it has none: ``/learning/cover/<resource id>.png``."""
    return tk.url_for("learning_documents.cover", resource_id=resource["id"],
                      _external=qualified)


def learning_dataset_cover_url(package: dict[str, Any]) -> str | None:
    """The cover of the dataset's first uploaded PDF, else of its first
    uploaded document (its type icon), else ``None``: no database read, for
    lists of search results."""
    documents = [r for r in package.get("resources") or []
                 if r.get("url_type") == "upload" and r.get("mimetype") in EXTRACTABLE]
    documents.sort(key=lambda r: r.get("mimetype") != PDF)
    return learning_cover_url(documents[0]) if documents else None
