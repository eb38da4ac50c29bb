"""The in-memory postings answer like the SQL path, and stay current."""
from __future__ import annotations

import json
import threading

import ckan.model as model
import pytest
from ckan.tests import factories, helpers

from ckanext.learning.search.backend import postings as postings_module
from ckanext.learning.tests.search.test_package_search import names, search

POSTINGS = "ckanext.learning.search.postings"


@pytest.fixture
def spy(monkeypatch):
    """Counts the searches the postings answered."""
    calls = []
    original = postings_module.Postings.search

    def counting(self, plan, *args):
        out = original(self, plan, *args)
        calls.append(plan)
        return out

    monkeypatch.setattr(postings_module.Postings, "search", counting)
    return calls


@pytest.fixture
def shelf(org):
    """English and Khmer datasets over two themes, two formats, two orgs."""
    other = factories.Organization(name="other-cso")
    edu = factories.Group(name="education")
    env = factories.Group(name="environment-nrm")
    make = factories.Dataset
    specs = [
        ("forest-patrols", org, env, "Community forest patrols",
         "How villagers patrol the forest. ព្រៃឈើសហគមន៍ និងការការពារ", ["forest"], "PDF"),
        ("forest-law", other, env, "Forest law handbook",
         "Legal aid for forest communities. ច្បាប់ស្តីពីព្រៃឈើ", ["law", "forest"], "CSV"),
        ("school-guide", org, edu, "Primary school teaching guide",
         "Lesson plans for teachers; forest walks for pupils.", ["education"], "PDF"),
        ("women-leaders", other, edu, "ស្ត្រីជាអ្នកដឹកនាំ",
         "Women leaders in education. ការអប់រំសម្រាប់ស្ត្រី", ["gender", "education"], "PDF"),
        ("radio-news", org, None, "Community radio news",
         "Journalists at a community radio.", ["journalism"], "MP3"),
    ]
    out = {}
    for name, owner, group, title, notes, tags, fmt in specs:
        out[name] = make(name=name, owner_org=owner["id"], title=title, notes=notes,
                         tags=[{"name": t} for t in tags],
                         groups=[{"name": group["name"]}] if group else [],
                         resources=[{"url": f"http://x/{name}", "format": fmt}])
    return out


QUERIES = [
    {},
    {"q": "forest"},
    {"q": "forests"},
    {"q": "community forest"},
    {"q": "forest", "fq": "groups:education"},
    {"q": "forest", "fq": "-groups:education"},
    {"q": "forest", "fq": 'organization:other-cso OR res_format:"MP3"'},
    {"q": "forest", "facet.field": json.dumps(["groups", "organization", "tags",
                                                "res_format"]), "facet.limit": 50},
    {"facet.field": json.dumps(["tags", "res_format"]), "facet.limit": 1},
    {"q": "ព្រៃឈើ"},
    {"q": "ស្ត្រី"},
    {"q": "ស្ត្រី forest"},
    {"q": "nothingmatchesthis"},
    {"sort": "metadata_modified desc", "rows": 2, "start": 1},
    {"sort": "metadata_created asc"},
    {"q": "community", "sort": "metadata_modified asc"},
    {"fq": "tags:education", "sort": "metadata_modified desc"},
]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSameAnswersAsSql:
    @pytest.mark.parametrize("params", QUERIES, ids=lambda p: json.dumps(
        p, ensure_ascii=False))
    def test_count_facets_and_results(self, shelf, params, spy, ckan_config,
                                      monkeypatch):
        from_postings = search(**params)
        assert spy, "the postings did not answer this search"
        monkeypatch.setitem(ckan_config, POSTINGS, False)
        calls = len(spy)
        from_sql = search(**params)
        assert len(spy) == calls, "the SQL path went through the postings"

        assert from_postings["count"] == from_sql["count"]
        assert from_postings["search_facets"] == from_sql["search_facets"]
        if "sort" in params:
            assert names(from_postings) == names(from_sql)
        else:  # ranking differs in detail; the page holds the same datasets
            assert sorted(names(from_postings)) == sorted(names(from_sql))

    def test_title_matches_rank_first(self, shelf, spy):
        assert names(search(q="forest"))[:2] in (["forest-law", "forest-patrols"],
                                                 ["forest-patrols", "forest-law"])
        assert names(search(q="school"))[0] == "school-guide"
        assert spy

    def test_private_datasets_stay_private(self, shelf, org, spy):
        factories.Dataset(name="internal-forest-notes", owner_org=org["id"],
                          private=True, title="Internal forest notes")
        assert "internal-forest-notes" not in names(search(q="forest"))
        owner = factories.Sysadmin()
        seen = helpers.call_action("package_search", context={"user": owner["name"]},
                                   q="forest", include_private=True)
        assert "internal-forest-notes" in names(seen)
        assert spy


#: Searches with local parameters (core passes those it allows on).
LOCAL_PARAMETER_QUERIES = [
    {"q": "{!bool must=forest}"},
    {"q": "{!lucene q.op=AND}community forest"},
    {"fq_list": ["{!lucene q.op=OR}groups:education tags:law"]},
    {"q": "forest", "fq_list": ["{!lucene q.op=OR}organization:other-cso res_format:MP3"]},
]


@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "bool lucene")
@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("params", LOCAL_PARAMETER_QUERIES, ids=json.dumps)
def test_local_parameters_same_answers_as_sql(shelf, params, spy, ckan_config,
                                              monkeypatch):
    from_postings = search(**params)
    assert spy, "the postings did not answer this search"
    monkeypatch.setitem(ckan_config, POSTINGS, False)
    from_sql = search(**params)
    assert from_postings["count"] == from_sql["count"] > 0
    assert sorted(names(from_postings)) == sorted(names(from_sql))


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestKeptCurrent:
    def test_created_updated_and_deleted_datasets(self, shelf, org, spy):
        assert search(q="mangrove")["count"] == 0
        ds = factories.Dataset(name="mangrove-guide", owner_org=org["id"],
                               title="Mangrove guide")
        assert names(search(q="mangrove")) == ["mangrove-guide"]

        helpers.call_action("package_patch", id=ds["id"], name="seagrass-guide",
                            title="Seagrass guide")
        assert search(q="mangrove")["count"] == 0
        assert names(search(q="seagrass")) == ["seagrass-guide"]

        helpers.call_action("package_delete", id=ds["id"])
        assert search(q="seagrass")["count"] == 0
        assert search()["count"] == len(shelf)
        assert len(spy) == 6

    def test_an_update_then_a_removal_between_two_searches(self, shelf, org, spy):
        """The removal names a version of the row the postings never saw."""
        ds = factories.Dataset(name="mangrove-guide", owner_org=org["id"],
                               title="Mangrove guide")
        assert names(search(q="mangrove")) == ["mangrove-guide"]
        helpers.call_action("package_patch", id=ds["id"], title="Mangrove guide, revised")
        helpers.call_action("package_delete", id=ds["id"])
        result = search(q="mangrove")
        assert result["count"] == len(result["results"]) == 0
        assert search()["count"] == len(shelf)
        assert len(spy) == 3

    def test_facets_follow_an_update(self, shelf, spy):
        before = search(**{"facet.field": '["res_format"]'})
        pdf = dict((i["name"], i["count"]) for i in
                   before["search_facets"]["res_format"]["items"])["PDF"]
        helpers.call_action("package_patch", id=shelf["school-guide"]["id"],
                            resources=[{"url": "http://x/s.csv", "format": "CSV"}])
        after = search(**{"facet.field": '["res_format"]'})
        counts = {i["name"]: i["count"] for i in after["search_facets"]["res_format"]["items"]}
        assert counts["PDF"] == pdf - 1
        assert spy

    def test_a_reset_database_starts_the_postings_over(self, shelf, spy):
        assert search()["count"] == len(shelf)
        model.repo.delete_all()
        assert search()["count"] == 0
        assert spy

    def test_a_writing_transaction_sees_its_own_changes(self, org, spy):
        """Its uncommitted rows are answered by SQL, and never reach memory."""
        context = {"user": factories.Sysadmin()["name"], "defer_commit": True}
        helpers.call_action("package_create", context=context, name="draft-only",
                            owner_org=org["id"], title="Uncommitted mangrove")
        model.Session.flush()
        from ckan import logic

        logic.index_update_package({}, "draft-only", defer_commit=True)
        assert names(search(q="mangrove")) == ["draft-only"]
        assert not spy
        model.Session.rollback()
        assert search(q="mangrove")["count"] == 0
        assert spy

    def test_unsupported_syntax_goes_to_sql(self, shelf, spy):
        assert set(names(search(q="fore*"))) == {"forest-patrols", "forest-law",
                                                 "school-guide"}
        assert names(search(q='"community forest"')) == ["forest-patrols"]
        assert not spy

    def test_a_large_index_loads_in_the_background(self, shelf, spy, monkeypatch):
        """Until the postings are read, SQL answers (nobody waits for them)."""
        monkeypatch.setattr(postings_module, "INLINE_LOAD_ROWS", -1)
        model.repo.delete_all()  # a new epoch: the postings must reload
        ds = factories.Dataset(name="mangrove-guide", title="Mangrove guide",
                               owner_org=factories.Organization()["id"])
        assert names(search(q="mangrove")) == [ds["name"]]
        assert not spy
        loader = postings_module.postings()._loader
        assert loader is not None
        loader.join(timeout=60)
        assert names(search(q="mangrove")) == [ds["name"]]
        assert spy

    def test_stale_postings_are_let_go_before_the_reload(self, shelf, spy, monkeypatch):
        """Nothing answers from stale postings, so their memory goes to the
        load: a worker never holds two whole indexes at once."""
        assert search(q="forest")["count"]  # loaded
        held = postings_module.postings()
        assert len(held.live) == len(shelf)
        monkeypatch.setattr(postings_module, "INLINE_LOAD_ROWS", -1)
        started = threading.Event()
        release = threading.Event()

        def slow_read(self, engine):  # the reload waits until we have looked
            started.set()
            release.wait(30)
            return real_read(self, engine)

        real_read = postings_module.Postings._read_index
        monkeypatch.setattr(postings_module.Postings, "_read_index", slow_read)
        model.repo.delete_all()  # a new epoch: the postings are stale
        spy.clear()
        assert search()["count"] == 0  # SQL answers
        assert started.wait(30)
        assert (len(held.live), len(held.terms), len(held.index_id_of)) == (0, 0, 0)
        assert not held.loaded and not spy
        release.set()
        held._loader.join(timeout=60)
        assert search()["count"] == 0 and spy

    def test_untidy_postings_keep_answering_while_they_reload(self, shelf, spy,
                                                              monkeypatch):
        """Garbage alone (old versions of rewritten rows) leaves the postings
        right: they answer until the tidy copy replaces them."""
        assert search()["count"] == len(shelf)
        held = postings_module.postings()
        monkeypatch.setattr(postings_module, "INLINE_LOAD_ROWS", -1)
        monkeypatch.setattr(held, "garbage", 10 ** 6)
        spy.clear()
        assert search()["count"] == len(shelf)
        assert spy  # from the postings, with the reload under way
        held._loader.join(timeout=60)
        assert held.garbage == 0
