"""The documents' text in the dataset's index document.

:func:`add_document_text` (``IPackageController.before_dataset_index`` of
the ``learning`` plugin, which runs before ``learning_search``'s) puts the
text of the dataset's documents in :data:`DOCUMENT_TEXT`.  Solr's
schema declares it (``docker/solr/learning-fields.xml``: analysed, not
stored); the PostgreSQL backend indexes it at its lowest weight (D).  Its
Khmer words are then tokenised by ``search.hooks.add_segmented_text`` into a
token field of their own (:data:`DOCUMENT_TOKENS`, weight D too).
"""
from __future__ import annotations

import re
from typing import Any

from ckanext.learning.documents.model import texts_of_package
from ckanext.learning.search.fields import DOCUMENT_TEXT, DOCUMENT_TOKENS

__all__ = ["DOCUMENT_TEXT", "DOCUMENT_TOKENS", "MAX_INDEX_CHARS", "MAX_KHMER_CHARS",
           "add_document_text"]

#: Characters of document text indexed per dataset.
MAX_INDEX_CHARS = 200_000
#: Khmer characters among them.  Segmenting Khmer costs ~0.2 ms a character
#: (khmercut, cold cache) at every re-index of the dataset, in the request
#: that edits it: 10,000 characters, about five pages, cost up to ~2 s.
MAX_KHMER_CHARS = 10_000

_KHMER_CHAR = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")


def _within_budget(page: str, chars: int, khmer: int) -> str:
    page = page[:max(0, MAX_INDEX_CHARS - chars)]
    if khmer + len(_KHMER_CHAR.findall(page)) <= MAX_KHMER_CHARS:
        return page
    allowed = MAX_KHMER_CHARS - khmer
    for n, match in enumerate(_KHMER_CHAR.finditer(page)):
        if n == allowed:
            return page[:match.start()]
    return page


def add_document_text(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: add the text read from the dataset's documents
    (up to :data:`MAX_INDEX_CHARS`, of which :data:`MAX_KHMER_CHARS` Khmer)."""
    package_id = pkg_dict.get("id")
    if not package_id:
        return pkg_dict
    parts: list[str] = []
    chars = khmer = 0
    for row in texts_of_package(package_id):
        for page in row.pages or []:
            page = _within_budget(page, chars, khmer)
            if not page:
                continue
            parts.append(page)
            chars += len(page) + 1
            khmer += len(_KHMER_CHAR.findall(page))
    if parts:
        pkg_dict[DOCUMENT_TEXT] = "\n".join(parts)
    return pkg_dict
