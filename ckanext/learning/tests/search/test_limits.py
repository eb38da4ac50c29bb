"""The bounds on one search (search/limits.py), for both engines: checked
in before_dataset_search, on what the caller sent."""
from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchError

from ckanext.learning.search import limits


@pytest.mark.parametrize(("text", "depth"), [
    ("water", 0), ("(water)", 1), ("((a) OR (b))", 2), ("[a TO b]", 1),
    (")))(((", 3), ("(" * 50, 50),
])
def test_nesting_depth(text, depth):
    assert limits.nesting_depth(text) == depth


@pytest.mark.parametrize(("text", "count"), [
    ("", 0), ("water", 1), ("water AND forest", 3), ("(a OR b) -c", 4),
    ("title:ទឹក", 1),
])
def test_term_count(text, count):
    assert limits.term_count(text) == count


@pytest.mark.ckan_config("ckanext.learning.search.max_query_length", 10)
def test_length_is_configurable():
    limits.check({"q": "x" * 10})
    with pytest.raises(SearchError, match="at most 10 characters"):
        limits.check({"q": "x" * 11})
    # filters may be five times longer (facet links add clauses)
    limits.check({"fq": "x" * 50})
    with pytest.raises(SearchError, match="at most 50 characters"):
        limits.check({"fq": ["ok", "x" * 51]})
    with pytest.raises(SearchError):
        limits.check({"fq_list": ["x" * 51]})


@pytest.mark.ckan_config("ckanext.learning.search.max_depth", 3)
def test_depth_is_configurable():
    limits.check({"q": "(((a)))"})
    with pytest.raises(SearchError, match="at most 3 levels"):
        limits.check({"q": "((((a))))"})


@pytest.mark.ckan_config("ckanext.learning.search.max_terms", 3)
def test_terms_are_configurable():
    limits.check({"q": "a OR b"})
    with pytest.raises(SearchError, match="at most 3"):
        limits.check({"q": "a OR b OR c"})


def test_nul_is_refused_everywhere():
    for params in ({"q": "a\x00"}, {"fq": "a\x00"}, {"fq_list": ["\x00"]}):
        with pytest.raises(SearchError, match="NUL"):
            limits.check(params)


def test_no_query_is_fine():
    limits.check({})
    limits.check({"q": None, "fq": None})


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.learning.search.max_query_length", 10)
def test_package_search_refuses_with_409(app):
    resp = app.get("/api/3/action/package_search", query_string={"q": "x" * 11},
                   status=409)
    assert "at most 10 characters" in resp.json["error"]["message"]
