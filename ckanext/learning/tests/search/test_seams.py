"""Pins every CKAN internal the search backend relies on.

If a CKAN upgrade moves one of these, this file fails in CI, naming the seam,
instead of search silently going back to a Solr that is not there.
"""
from __future__ import annotations

import inspect

import ckan
import ckan.config.environment as environment
import ckan.lib.search as search
import ckan.lib.search.common as search_common
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query
import ckan.logic.action.get as action_get
import ckan.model.modification as modification
import pysolr
import pytest

from ckanext.learning.search import seams
from ckanext.learning.search.backend import available_backends, get_backend
from ckanext.learning.search.backend.postgres import PostgresConnection


def source(obj) -> str:
    return inspect.getsource(obj)


def test_ckan_version_is_the_one_the_seams_were_checked_against():
    assert ckan.__version__.startswith("2.12."), (
        "Re-check every seam in this file against the new CKAN, then update")


@pytest.mark.parametrize("module", seams.CONNECTION_MODULES)
def test_core_modules_call_make_connection_by_global_name(module):
    assert hasattr(module, "make_connection")


def test_index_code_uses_the_connection_as_pysolr():
    index_src = source(search_index.PackageSearchIndex.index_package)
    assert "conn = make_connection()" in index_src
    assert "conn.add(docs=[pkg_dict], commit=commit)" in index_src
    assert "conn.delete(q=query, commit=commit)" in source(
        search_index.PackageSearchIndex.delete_package)
    clear_src = source(search_index.clear_index)
    assert "conn.delete(q=query)" in clear_src and "conn.commit()" in clear_src
    assert "conn.commit(waitSearcher=False)" in source(
        search_index.PackageSearchIndex.commit)


def test_query_code_uses_the_connection_as_pysolr():
    run_src = source(search_query.PackageSearchQuery.run)
    assert "conn = make_connection(decode_dates=False)" in run_src
    assert "solr_response = conn.search(**query)" in run_src
    for attribute in ("solr_response.hits", "solr_response.docs",
                      "solr_response.facets.get('facet_fields', {})"):
        assert attribute in run_src
    assert "conn.search(query, fq=fq, rows=max_results, fl='id')" in source(
        search_query.PackageSearchQuery.get_all_entity_ids)
    assert "conn.search(**query)" in source(search_query.PackageSearchQuery.get_index)


def test_startup_calls_the_schema_check_through_the_package():
    assert "search.check_solr_schema_version()" in source(environment.update_config)


def test_indexing_happens_inside_the_dataset_transaction():
    """Index writes share the dataset's transaction only because core
    indexes before it commits (create/update) or in before_commit."""
    import ckan.logic.action.create as action_create
    import ckan.logic.action.update as action_update

    create_src = source(action_create.package_create)
    assert (create_src.index("logic.index_insert_package_dicts(")
            < create_src.index("model.repo.commit()"))
    update_src = source(action_update.package_update)
    assert (update_src.index("logic.index_update_package_dicts(")
            < update_src.rindex("model.repo.commit()"))
    assert "def before_commit(self, session" in source(modification)


def test_package_search_and_friends_go_through_query_for():
    assert "search.query_for(model.Package)" in source(action_get.package_search)
    assert "search.query_for(model.Package)" in source(action_get.package_autocomplete)
    assert "name_ngram" in source(action_get.package_autocomplete)


def test_installed_backend_answers_every_seam():
    seams.install(get_backend("postgres"))
    for module in seams.CONNECTION_MODULES:
        assert isinstance(module.make_connection(), PostgresConnection)
    assert search.check_solr_schema_version() is False


def test_solr_backend_is_core_s_own_client(monkeypatch):
    calls = []
    monkeypatch.setattr(seams, "CORE_CHECK_SCHEMA_VERSION",
                        lambda schema_file=None: calls.append(schema_file) or True)
    try:
        seams.install(get_backend("solr"))
        for module in seams.CONNECTION_MODULES:
            assert isinstance(module.make_connection(), pysolr.Solr)
        assert search.check_solr_schema_version("schema.xml") is True
        assert calls == ["schema.xml"]
    finally:
        seams.install(get_backend("postgres"))
    assert isinstance(search_common.make_connection(), PostgresConnection)


def test_registry():
    assert available_backends() == ["postgres", "solr"]
    with pytest.raises(ValueError, match="Unknown search backend 'elastic'"):
        get_backend("elastic")
