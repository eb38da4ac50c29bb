"""CKAN's stock Solr client, selectable as a backend (production, docker/).

``ckanext.learning.search.backend = solr``: the seams get core's own
``make_connection`` and schema check back; only the Khmer hooks apply.
"""
from __future__ import annotations

from typing import Any

from ckanext.learning.search import seams

from . import SearchBackend


class SolrBackend(SearchBackend):
    """Core's pysolr connection and Solr schema check, unchanged."""

    def make_connection(self, decode_dates: bool = True) -> Any:
        return seams.CORE_MAKE_CONNECTION(decode_dates=decode_dates)

    def check_schema_version(self, schema_file: str | None = None) -> bool:
        return seams.CORE_CHECK_SCHEMA_VERSION(schema_file)
