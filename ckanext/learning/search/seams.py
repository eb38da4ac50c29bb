"""The only module that touches ``ckan.lib.search`` internals.

CKAN 2.12 has no pluggable search interface: the index code
(``ckan.lib.search.index``), the query code (``ckan.lib.search.query``) and
the availability check (``ckan.lib.search.common``) each import
``make_connection`` by name and call pysolr on what it returns, and
``ckan.config.environment.update_config`` calls
``ckan.lib.search.check_solr_schema_version`` at every start.  Those are the
seams; :func:`install` points them at a backend and nothing else is patched.
``tests/search/test_seams.py`` pins each one, so a CKAN upgrade that moves
them fails CI rather than production.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import ckan.lib.search as search
import ckan.lib.search.common as search_common
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query

if TYPE_CHECKING:
    from .backend import SearchBackend

log = logging.getLogger(__name__)

#: Modules whose global ``make_connection`` core calls.
CONNECTION_MODULES = (search_common, search_index, search_query, search)

#: Core's own functions, for the ``solr`` backend (``backend/solr.py``).
CORE_MAKE_CONNECTION = search_common.make_connection
CORE_CHECK_SCHEMA_VERSION = search.check_solr_schema_version

_installed: str | None = None


def install(backend: SearchBackend) -> None:
    """Route core's search calls to ``backend`` (idempotent)."""
    global _installed
    for module in CONNECTION_MODULES:
        module.make_connection = backend.make_connection  # type: ignore[attr-defined]
    search.check_solr_schema_version = backend.check_schema_version
    if _installed != backend.name:
        log.info("Search backend: %s", backend.name)
    _installed = backend.name
