"""SearchRequest: each pysolr-style search parameter, read once."""
from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchError, SearchQueryError
from luqum import tree

from ckanext.learning import khmer
from ckanext.learning.search import hooks
from ckanext.learning.search.fields import TITLE_TOKENS
from ckanext.learning.search.request import DEFAULT_SORT, Query, SearchRequest


def request(q=None, **params) -> SearchRequest:
    return SearchRequest.from_params(q, params)


class TestQ:
    @pytest.mark.parametrize("q", [None, "", "  ", "*:*", "*"])
    def test_match_all(self, q):
        assert request(q).q is None

    def test_parsed_once_into_a_luqum_tree(self):
        parsed = request("forest AND title:law").q
        assert isinstance(parsed.tree, tree.AndOperation)
        assert str(parsed.tree) == "forest AND title:law"

    def test_khmer_terms_become_their_tokens(self):
        tokens = khmer.query_tokens("ការប្រែប្រួលអាកាសធាតុ")
        parsed = request("ការប្រែប្រួលអាកាសធាតុ").q
        assert parsed.tree == tree.Phrase('"' + " ".join(tokens) + '"')
        assert str(request("title:វីដេអូ").q.tree).startswith(TITLE_TOKENS + ":")
        # the same tree the Solr hook serialises
        assert str(request("ស្ដីពី OR forest").q.tree) == hooks.segment_string("ស្ដីពី OR forest")

    def test_filters_are_not_segmented(self):
        assert str(request(fq="tags:វីដេអូ").filters[0].tree) == "tags:វីដេអូ"

    @pytest.mark.parametrize("q", ["title:(forest", '"unclosed', "forest AND", ")",
                                   "វីដេអូ AND ("])
    def test_broken_query_is_a_search_error_with_the_parser_s_message(self, q):
        with pytest.raises(SearchError, match="Cannot parse query"):
            request(q)

    def test_not_a_string(self):
        with pytest.raises(SearchError, match="'q' must be a string"):
            request(["forest"])


class TestOptions:
    def test_defaults(self):
        r = request("forest")
        assert r.q == Query(r.q.tree, op="AND", mm=None, df="text")
        assert (r.rows, r.start, r.sort, r.fl) == (10, 0, DEFAULT_SORT, None)
        assert (r.facet_fields, r.facet_limit, r.facet_mincount) == ((), 50, 1)

    def test_q_op_and_df(self):
        r = request("a b", **{"q.op": "or", "df": "title"})
        assert (r.q.op, r.q.df) == ("OR", "title")
        assert r.filters == ()

    def test_mm_only_with_dismax(self):
        assert request("a b", mm="2<-1").q.mm is None
        assert request("a b", mm="2<-1", defType="dismax").q.mm == "2<-1"
        assert request("a b", mm="2<-1 5<80%", defType="edismax").q.mm == "2<-1 5<80%"

    @pytest.mark.parametrize("params, message", [
        ({"q.op": "XOR"}, "'q.op' must be AND or OR"),
        ({"mm": "most", "defType": "dismax"}, "not a minimum-should-match spec"),
        ({"defType": ["dismax"]}, "'defType' must be a string"),
    ])
    def test_bad_options(self, params, message):
        with pytest.raises(SearchError, match=message):
            request("a b", **params)


class TestFilters:
    def test_a_string_or_a_list(self):
        assert len(request(fq="groups:education").filters) == 1
        filters = request(fq=["+site_id:x", " ", "", "+state:active"]).filters
        assert [str(f.tree) for f in filters] == ["+site_id:x", "+state:active"]

    def test_match_all_filters_are_dropped(self):
        assert request(fq=["*:*"]).filters == ()

    def test_filters_take_q_op_and_df(self):
        (f,) = request(fq="a b", **{"q.op": "OR"}).filters
        assert f.op == "OR"

    def test_broken_filter(self):
        with pytest.raises(SearchError, match="Cannot parse query 'groups:\\(education'"):
            request(fq=["+site_id:x", "groups:(education"])

    @pytest.mark.parametrize("fq", [1, ["a", 2], {"a": "b"}])
    def test_not_strings(self, fq):
        with pytest.raises(SearchError, match="'fq' must be a string or a list"):
            request(fq=fq)


class TestPagingSortAndFields:
    def test_rows_and_start(self):
        r = request(rows="5", start=20)
        assert (r.rows, r.start) == (5, 20)
        assert (request(rows=-1, start=-3).rows, request(start=-3).start) == (0, 0)

    @pytest.mark.parametrize("name, value", [("rows", "ten"), ("start", "1.5"),
                                             ("rows", [1]), ("start", True)])
    def test_not_whole_numbers(self, name, value):
        with pytest.raises(SearchError, match=f"'{name}' must be a whole number"):
            request(**{name: value})

    def test_sort(self):
        assert request(sort="name asc, metadata_modified DESC").sort == (
            ("name", False), ("metadata_modified", True))
        assert request(sort="").sort == DEFAULT_SORT
        assert request(sort="score desc").sort == (("score", True),)

    @pytest.mark.parametrize("sort", ["name", "name sideways", "name asc; drop table x",
                                      "geodist() asc", ["name asc"]])
    def test_bad_sort_is_core_s_query_error(self, sort):
        with pytest.raises(SearchQueryError, match='Invalid "sort" parameter'):
            request(sort=sort)

    def test_fl(self):
        assert request(fl="name,title score").fl == ("name", "title", "score")
        assert request(fl=["id"]).fl == ("id",)
        assert request(fl="*").fl is None
        assert request(fl="name,*").fl is None
        with pytest.raises(SearchError, match="'fl' must be"):
            request(fl=3)


class TestFacets:
    def test_only_with_facet_true(self):
        assert request(**{"facet.field": ["tags"]}).facet_fields == ()
        assert request(**{"facet": "true", "facet.field": ["tags", "groups", "tags"]}
                       ).facet_fields == ("tags", "groups")
        assert request(facet=True, **{"facet.field": "tags"}).facet_fields == ("tags",)

    def test_limit_and_mincount(self):
        r = request(facet="true", **{"facet.limit": "-1", "facet.mincount": "0"})
        assert (r.facet_limit, r.facet_mincount) == (-1, 1)
        assert request(**{"facet.mincount": 3}).facet_mincount == 3

    @pytest.mark.parametrize("params, message", [
        ({"facet.limit": "many"}, "'facet.limit' must be a whole number"),
        ({"facet.mincount": "x"}, "'facet.mincount' must be a whole number"),
        ({"facet": "true", "facet.field": [["tags"]]}, "'facet.field' must be a string"),
    ])
    def test_bad_values(self, params, message):
        with pytest.raises(SearchError, match=message):
            request(**params)


class TestLocalParameters:
    def test_lucene(self):
        (f,) = request(fq="{!lucene q.op=OR df=title}bees butterflies").filters
        assert (str(f.tree), f.op, f.df) == ("bees butterflies", "OR", "title")
        assert request("{!lucene}*:*").q is None
        assert str(request("{!lucene v='bees OR wasps'}").q.tree) == "bees OR wasps"
        assert request(" {!type=lucene q.op=OR}a b").q.op == "OR"

    def test_dismax(self):
        q = request("{!dismax mm=1}a b c").q
        assert (str(q.tree), q.mm) == ("a b c", "1")
        # the parser named replaces defType's: no dismax mm for lucene
        assert request("{!dismax}a b", defType="dismax", mm="2<-1").q.mm == "2<-1"
        assert request("{!lucene}a b", defType="dismax", mm="2<-1").q.mm is None
        with pytest.raises(SearchError, match="not a minimum-should-match spec"):
            request("{!edismax mm=lots}a b")

    def test_bool(self):
        q = request("{!bool must=bees must_not='wasps OR hornets' filter=tags:x}").q
        assert q.tree == tree.AndOperation(
            tree.Group(tree.Word("bees")), tree.Group(tree.SearchField("tags", tree.Word("x"))),
            tree.Not(tree.Group(tree.OrOperation(tree.Word("wasps"), tree.Word("hornets")))))
        # should clauses: at least one, unless something is required
        assert request("{!bool should=a should=b}").q.tree == tree.Group(tree.OrOperation(
            tree.Group(tree.Word("a")), tree.Group(tree.Word("b"))))
        assert request("{!bool must=a should=b}").q.tree == tree.Group(tree.Word("a"))
        assert request("{!must=bees type=bool}").q.tree == tree.Group(tree.Word("bees"))

    def test_bool_with_only_must_not_matches_the_rest(self):
        assert request("{!bool must_not=a}").q.tree == tree.AndOperation(
            tree.SearchField("*", tree.Word("*")), tree.Not(tree.Group(tree.Word("a"))))

    def test_bool_clauses_are_segmented(self):
        q = request("{!bool must=ការប្រែប្រួលអាកាសធាតុ}").q
        assert isinstance(q.tree.expr, tree.Phrase)

    @pytest.mark.parametrize("q, message", [
        ("{!knn f=vector topK=3}[1.0, 2.0]", r"\{!knn\} are not supported"),
        ("{!bool}", "needs at least one clause"),
        ("{!lucene q.op=OR", "Cannot parse the local parameters"),
        ("{!lucene v=$other}", "Parameter references are not supported"),
        ("{!lucene q.op}a", "'q.op' has no value"),
        ("{!lucene}{!lucene}a", "Nested local parameters"),
        ("{!bool must=(a}", "Cannot parse query"),
    ])
    def test_errors(self, q, message):
        with pytest.raises(SearchError, match=message):
            request(q)
