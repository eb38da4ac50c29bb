"""Search backends: the engine behind CKAN's ``ckan.lib.search``.

CKAN 2.12 talks to its search engine through one object, the pysolr-style
connection returned by ``ckan.lib.search.common.make_connection``: the index
code calls ``add``/``delete``/``commit`` on it and ``PackageSearchQuery``
calls ``search``.  A backend supplies that connection, so every line of
core's own search logic (permission labels, drafts, facets, the action
API's contract) keeps running unchanged whatever the engine is.

Backends are registered by name, after ``ckanext/datastore/backend``;
``ckanext.learning.search.backend`` picks one.
"""
from __future__ import annotations

import abc
from typing import Any


class SearchBackend(abc.ABC):
    """The contract a search engine fulfils for CKAN."""

    name: str = ""

    #: Whether the connection's ``search`` segments the Khmer terms of ``q``
    #: itself, on the query tree it parses.  Otherwise ``before_dataset_search``
    #: hands it ``q`` already rewritten (``hooks.segment_query``).
    segments_khmer: bool = False

    @abc.abstractmethod
    def make_connection(self, decode_dates: bool = True) -> Any:
        """Return a connection with pysolr's ``Solr`` interface.

        ``add(docs, commit=...)`` indexes flattened dataset documents (as built
        by ``PackageSearchIndex.index_package``); ``delete(q=..., commit=...)``
        removes the documents a Lucene query matches; ``search(q, **params)``
        answers Solr's standard parameters (``fq``, ``fl``, ``rows``,
        ``start``, ``sort``, ``facet.*``, ``defType``, ``mm``...) with an object
        carrying ``hits``, ``docs`` and ``facets``; ``commit()`` makes pending
        writes durable.  Errors in a query raise
        ``ckan.lib.search.SearchError`` with a message for the user.
        """

    @abc.abstractmethod
    def check_schema_version(self, schema_file: str | None = None) -> bool:
        """Startup check standing for core's ``check_solr_schema_version``."""


_backends: dict[str, type[SearchBackend]] = {}


def register_backend(name: str, backend: type[SearchBackend]) -> None:
    backend.name = name
    _backends[name] = backend


def get_backend(name: str) -> SearchBackend:
    try:
        return _backends[name]()
    except KeyError:
        known = ", ".join(sorted(_backends))
        raise ValueError(f"Unknown search backend {name!r} (known: {known})") from None


def available_backends() -> list[str]:
    return sorted(_backends)


def _register_builtin() -> None:
    from .postgres import PostgresBackend
    from .solr import SolrBackend

    register_backend("postgres", PostgresBackend)
    register_backend("solr", SolrBackend)


_register_builtin()
