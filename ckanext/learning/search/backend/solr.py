"""CKAN's stock Solr client, selectable as a backend (production, docker/)."""
from __future__ import annotations

from typing import Any

from ckanext.learning.search import seams

from . import SearchBackend


class SolrBackend(SearchBackend):
    """Leaves core's pysolr connection and schema check in place."""

    def make_connection(self, decode_dates: bool = True) -> Any:
        return seams.CORE_MAKE_CONNECTION(decode_dates=decode_dates)

    def check_schema_version(self, schema_file: str | None = None) -> bool:
        return seams.CORE_CHECK_SCHEMA_VERSION(schema_file)

    def is_stock(self) -> bool:
        return True
