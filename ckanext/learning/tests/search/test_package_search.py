"""package_search answered by the PostgreSQL backend keeps CKAN's contract."""
from __future__ import annotations

import datetime as dt
import json

import ckan.model as model
import pytest
from ckan.tests import factories, helpers


def search(**params):
    return helpers.call_action("package_search", **params)


def names(result) -> list[str]:
    return [r["name"] for r in result["results"]]


@pytest.fixture
def library(org):
    """A small bilingual library."""
    g_edu = factories.Group(name="education")
    g_env = factories.Group(name="environment-nrm")
    make = factories.Dataset
    return {
        "school": make(name="school-guide", owner_org=org["id"],
                       title="Primary school teaching guide",
                       notes="Lesson plans for teachers in rural areas.",
                       tags=[{"name": "education"}, {"name": "teachers"}],
                       groups=[{"name": g_edu["name"]}],
                       resources=[{"url": "http://x/a.pdf", "format": "PDF"}]),
        "forest": make(name="forest-report", owner_org=org["id"],
                       title="Community forest report",
                       notes="Patrols, schools of thought on forestry and teachers "
                             "of conservation.",
                       tags=[{"name": "forest"}],
                       groups=[{"name": g_env["name"]}],
                       resources=[{"url": "http://x/b.csv", "format": "CSV"}]),
        "disability": make(name="disability-inclusion", owner_org=org["id"],
                           title="Disabilities and inclusion",
                           notes="Guide to disability inclusion in schools.",
                           tags=[{"name": "education"}, {"name": "disability"}],
                           groups=[{"name": g_edu["name"]}]),
    }


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestQueries:
    def test_match_all_and_count(self, library):
        result = search()
        assert result["count"] == 3
        assert len(result["results"]) == 3

    def test_english_stemming_finds_inflected_forms(self, library):
        assert set(names(search(q="schools"))) == {"school-guide", "forest-report",
                                                   "disability-inclusion"}
        assert names(search(q="disability")) == ["disability-inclusion"]
        assert names(search(q="disabilities")) == ["disability-inclusion"]

    def test_title_match_ranks_above_description_match(self, library):
        # "school" is in one title, and in the others' descriptions only
        assert names(search(q="school"))[0] == "school-guide"
        assert names(search(q="teachers"))[0] == "school-guide"

    def test_boolean_operators(self, library):
        assert set(names(search(q="forest OR disability"))) == {
            "forest-report", "disability-inclusion"}
        assert names(search(q="schools AND forest")) == ["forest-report"]
        assert set(names(search(q="schools -forest"))) == {
            "school-guide", "disability-inclusion"}
        assert set(names(search(q="schools AND NOT forest"))) == {
            "school-guide", "disability-inclusion"}

    def test_phrase(self, library):
        assert names(search(q='"community forest"')) == ["forest-report"]
        assert names(search(q='"forest community"')) == []

    def test_fielded_queries(self, library):
        assert names(search(q="title:forest")) == ["forest-report"]
        # "teachers" is in the notes of two datasets but the title of none
        assert names(search(q="title:teachers")) == []
        assert set(names(search(q="tags:education"))) == {
            "school-guide", "disability-inclusion"}
        assert names(search(q="name:forest-report")) == ["forest-report"]
        assert names(search(q='res_format:"CSV"')) == ["forest-report"]

    def test_wildcards(self, library):
        assert set(names(search(q="name:*-guide OR name:forest*"))) == {
            "school-guide", "forest-report"}
        assert names(search(q="disab*")) == ["disability-inclusion"]
        assert search(q="tags:*")["count"] == 3

    def test_ranges(self, library):
        now = dt.datetime.utcnow()
        assert search(q="metadata_modified:[2000-01-01T00:00:00Z TO NOW]")["count"] == 3
        assert search(q="metadata_modified:[NOW+1DAY TO *]")["count"] == 0
        since = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert search(fq=f"metadata_created:[{since} TO *]")["count"] == 3
        assert search(q="num_resources:[1 TO *]")["count"] == 2
        assert search(q="num_resources:{1 TO *]")["count"] == 0

    def test_mixed_fielded_and_free_text(self, library):
        assert names(search(q="schools tags:disability")) == ["disability-inclusion"]

    def test_json_extras_are_searched_by_their_text_not_their_keys(self, org):
        """Scheming keeps multilingual fields as JSON in extras: ``en`` and
        ``km`` are keys there, not words of the record."""
        factories.Dataset(name="second-edition", owner_org=org["id"], title="Handbook",
                          extras=[{"key": "marc21_500",
                                   "value": json.dumps({"en": "Revised edition", "km": ""})},
                                  {"key": "audience", "value": json.dumps(["teachers"])}])
        assert names(search(q="revised")) == names(search(q="teachers")) == ["second-edition"]
        assert search(q="km")["count"] == search(q="en")["count"] == 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestFiltersFacetsSortPaging:
    def test_fq_and_fq_list(self, library):
        assert set(names(search(fq="groups:education"))) == {
            "school-guide", "disability-inclusion"}
        result = search(fq_list=["groups:education", "tags:disability"])
        assert names(result) == ["disability-inclusion"]
        assert names(search(q="schools", fq="+groups:environment-nrm")) == [
            "forest-report"]

    def test_facets(self, library, org):
        result = search(**{"facet.field": '["groups", "tags", "res_format", "organization"]'})
        facets = result["facets"]
        assert facets["groups"] == {"education": 2, "environment-nrm": 1}
        assert facets["tags"] == {"education": 2, "teachers": 1, "forest": 1,
                                  "disability": 1}
        assert facets["res_format"] == {"PDF": 1, "CSV": 1}
        assert facets["organization"] == {org["name"]: 3}
        items = result["search_facets"]["tags"]["items"]
        assert {"name": "education", "display_name": "education",
                "count": 2} in items

    def test_facet_limit_and_mincount(self, library):
        result = search(**{"facet.field": '["tags"]', "facet.limit": 2})
        # ties broken in index (byte) order, as Solr does
        assert result["facets"]["tags"] == {"education": 2, "disability": 1}
        result = search(**{"facet.field": '["tags"]', "facet.mincount": 2})
        assert result["facets"]["tags"] == {"education": 2}
        result = search(**{"facet.field": '["tags"]', "facet.limit": -1})
        assert len(result["facets"]["tags"]) == 4

    def test_facets_follow_the_query(self, library):
        result = search(q="forest", **{"facet.field": '["groups"]'})
        assert result["facets"]["groups"] == {"environment-nrm": 1}

    def test_sort(self, library):
        assert names(search(sort="title_string asc")) == [
            "forest-report", "disability-inclusion", "school-guide"]
        assert names(search(sort="name desc")) == [
            "school-guide", "forest-report", "disability-inclusion"]
        newest_first = names(search(sort="metadata_modified desc"))
        assert newest_first == ["disability-inclusion", "forest-report",
                                "school-guide"]
        assert names(search(sort="metadata_modified asc")) == newest_first[::-1]

    def test_invalid_sort_is_core_s_400(self, app, library):
        from ckan.lib.search import SearchQueryError

        with pytest.raises(SearchQueryError):
            search(sort="title_string sideways; drop table package")
        resp = app.get("/api/3/action/package_search",
                       query_string={"sort": "name; drop table package"}, status=400)
        assert resp.json["error"]["__type"] == "Search Query Error"
        assert model.Package.get("school-guide") is not None

    def test_rows_and_start(self, library):
        all_names = names(search(sort="name asc"))
        assert names(search(sort="name asc", rows=2)) == all_names[:2]
        assert names(search(sort="name asc", rows=2, start=2)) == all_names[2:]
        page = search(sort="name asc", rows=0)
        assert page["count"] == 3 and page["results"] == []

    def test_fl(self, library):
        result = search(q="forest", fl="name,title")
        assert result["results"] == [{"name": "forest-report",
                                      "title": "Community forest report"}]

    def test_full_dicts_are_the_validated_dataset(self, library):
        result = search(q="name:forest-report")["results"][0]
        shown = helpers.call_action("package_show", id="forest-report")
        assert result["id"] == shown["id"]
        assert result["resources"][0]["format"] == "CSV"
        assert result["organization"]["name"] == shown["organization"]["name"]


@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "bool lucene dismax")
@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSolrQueryOptions:
    """q.op, df and the local parameters core lets through."""

    def test_q_op_or_and_df_in_local_parameters(self, library):
        assert names(search(q="{!lucene q.op=AND}forest disability")) == []
        assert set(names(search(q="{!lucene q.op=OR}forest disability"))) == {
            "forest-report", "disability-inclusion"}
        # with q.op=OR a required clause makes the others optional
        assert names(search(q="{!lucene q.op=OR}forest +disability")) == [
            "disability-inclusion"]
        assert names(search(q="{!lucene df=title}teachers")) == []
        assert names(search(q="{!lucene df=title}primary")) == ["school-guide"]

    def test_local_parameters_in_filters(self, library):
        # (package_search prefixes fq with its own filters: fq_list keeps them first)
        either = search(fq_list=["{!lucene q.op=OR}tags:forest tags:disability"])
        assert set(names(either)) == {"forest-report", "disability-inclusion"}
        assert search(fq_list=["{!lucene q.op=AND}tags:forest tags:disability"])["count"] == 0

    def test_bool_parser(self, library):
        assert names(search(q="{!bool must=schools must_not='tags:education'}")) == [
            "forest-report"]
        assert set(names(search(q="{!bool should=forest should=disability}"))) == {
            "forest-report", "disability-inclusion"}
        assert names(search(q="{!bool filter='tags:teachers'}")) == ["school-guide"]

    def test_dismax_minimum_should_match(self, library):
        assert set(names(search(q="{!dismax mm=1}forest disability"))) == {
            "forest-report", "disability-inclusion"}
        assert names(search(q="{!dismax mm=2}forest disability")) == []

    def test_unsupported_parser_is_a_409(self, app, library, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckan.search.solr_allowed_query_parsers", ["knn"])
        resp = app.get("/api/3/action/package_search",
                       query_string={"q": "{!knn f=vector topK=3}[1.0]"}, status=409)
        assert "not supported" in resp.json["error"]["message"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPermissions:
    def test_private_and_draft_hidden_from_anonymous(self, org):
        factories.Dataset(name="public-one", owner_org=org["id"])
        factories.Dataset(name="private-one", owner_org=org["id"], private=True)
        factories.Dataset(name="draft-one", owner_org=org["id"], state="draft")
        anon = {"user": "", "ignore_auth": False}
        result = helpers.call_action("package_search", context=anon,
                                     include_private=True, include_drafts=True)
        assert names(result) == ["public-one"]

    def test_member_sees_private_with_include_private(self, org):
        member = factories.User()
        helpers.call_action("organization_member_create", id=org["id"],
                            username=member["name"], role="member")
        factories.Dataset(name="private-one", owner_org=org["id"], private=True)
        context = {"user": member["name"], "ignore_auth": False}
        assert helpers.call_action("package_search", context=dict(context))["count"] == 0
        result = helpers.call_action("package_search", context=dict(context),
                                     include_private=True)
        assert names(result) == ["private-one"]

    def test_outsider_never_sees_private(self, org):
        outsider = factories.User()
        factories.Dataset(name="private-one", owner_org=org["id"], private=True)
        context = {"user": outsider["name"], "ignore_auth": False}
        result = helpers.call_action("package_search", context=context,
                                     include_private=True, q="*:*")
        assert result["count"] == 0

    def test_drafts_only_for_their_creator_and_organisation(self, org):
        creator, other = factories.User(), factories.User()
        helpers.call_action("organization_member_create", id=org["id"],
                            username=creator["name"], role="editor")
        factories.Dataset(name="draft-one", owner_org=org["id"], state="draft",
                          user=creator)
        # an editor's datasets are private until reviewed (contribution rules)
        mine = helpers.call_action("package_search", include_drafts=True,
                                   include_private=True,
                                   context={"user": creator["name"],
                                            "ignore_auth": False})
        theirs = helpers.call_action("package_search", include_drafts=True,
                                     include_private=True,
                                     context={"user": other["name"],
                                              "ignore_auth": False})
        assert names(mine) == ["draft-one"]
        assert theirs["count"] == 0

    def test_making_a_dataset_private_hides_it_at_once(self, org):
        dataset = factories.Dataset(name="soon-private", owner_org=org["id"])
        assert search()["count"] == 1
        helpers.call_action("package_patch", id=dataset["id"], private=True)
        anon = {"user": "", "ignore_auth": False}
        assert helpers.call_action("package_search", context=anon)["count"] == 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestErrorsOverHttp:
    @pytest.mark.parametrize("q", [
        "title:(forest", '"unclosed phrase', "forest AND", ")", "a:b:(",
        "metadata_modified:[yesterday TO NOW]", "/regex/",
    ])
    def test_malformed_query_is_a_409_with_a_message(self, app, q, library):
        resp = app.get("/api/3/action/package_search", query_string={"q": q},
                       status=409)
        error = resp.json["error"]
        assert error["__type"] == "Search Error"
        assert error["message"]

    @pytest.mark.parametrize("params", [{"facet.limit": "x"}, {"rows": "x"}])
    def test_malformed_parameters_are_not_a_500(self, app, library, params):
        resp = app.get("/api/3/action/package_search", query_string=params)
        assert resp.status_code in (400, 409)

    def test_malformed_fq_is_a_409(self, app, library):
        resp = app.get("/api/3/action/package_search",
                       query_string={"fq": "groups:(education"}, status=409)
        assert "Cannot parse" in resp.json["error"]["message"]

    def test_search_page_survives_a_malformed_query(self, app, library):
        resp = app.get("/dataset/", query_string={"q": "title:(forest"})
        assert resp.status_code == 200


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestIndexConsistency:
    def test_create_update_delete_keep_index_in_step(self, org):
        dataset = factories.Dataset(name="tracked", owner_org=org["id"],
                                    title="Original title")
        assert names(search(q="original")) == ["tracked"]
        helpers.call_action("package_patch", id=dataset["id"], title="Renamed title")
        assert search(q="original")["count"] == 0
        assert names(search(q="renamed")) == ["tracked"]
        helpers.call_action("package_delete", id=dataset["id"])
        assert search(q="renamed")["count"] == 0

    def test_failed_write_leaves_neither_dataset_nor_index_changed(self, org):
        """The index row is written in the dataset's own transaction."""
        dataset = factories.Dataset(name="stable", owner_org=org["id"],
                                    title="Stable title")
        pkg = model.Package.get(dataset["id"])
        pkg.title = "Half-written title"
        # what core does at commit: index in the same transaction
        from ckan.lib.search import index_for
        index_for(model.Package).update_dict(
            dict(helpers.call_action("package_show", id=dataset["id"]),
                 title="Half-written title",
                 with_custom_schema=dict(dataset, title="Half-written title")))
        assert names(search(q="half")) == ["stable"]  # visible inside the txn
        model.Session.rollback()  # e.g. a later failure in the same commit
        assert search(q="half")["count"] == 0
        assert names(search(q="stable")) == ["stable"]
        assert helpers.call_action("package_show", id="stable")["title"] == "Stable title"

    def test_indexing_failure_aborts_the_dataset_write(self, org, monkeypatch):
        from ckanext.learning.search.backend import postgres

        def broken(self, doc):
            raise RuntimeError("index unavailable")

        monkeypatch.setattr(postgres.PostgresConnection, "_upsert", broken)
        with pytest.raises(RuntimeError, match="index unavailable"):
            factories.Dataset(name="never-stored", owner_org=org["id"])
        model.Session.rollback()
        monkeypatch.undo()
        assert model.Package.get("never-stored") is None
        assert search(q="name:never-stored")["count"] == 0

    def test_rebuild_restores_a_cleared_index(self, org, cli, ckan_config):
        from ckan.cli.cli import ckan as ckan_cli

        factories.Dataset(name="first", owner_org=org["id"])
        factories.Dataset(name="second", owner_org=org["id"])
        import ckan.lib.search as core_search

        core_search.clear_all()
        assert search()["count"] == 0
        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert "Indexing dataset 2/2" in result.output  # core's progress
        assert set(names(search())) == {"first", "second"}
        result = cli.invoke(ckan_cli, ["search-index", "check"])
        assert "Packages not indexed = 0 out of 2" in result.output
        result = cli.invoke(ckan_cli, ["search-index", "show", "first"])
        assert result.exit_code == 0 and "first" in result.output


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestGroupsTagsAutocomplete:
    def test_group_and_organization_counts(self, library, org):
        groups = helpers.call_action("group_list", all_fields=True)
        counts = {g["name"]: g["package_count"] for g in groups}
        assert counts == {"education": 2, "environment-nrm": 1}
        shown = helpers.call_action("organization_show", id=org["id"],
                                    include_datasets=True)
        assert shown["package_count"] == 3

    def test_group_page_lists_its_datasets(self, app, library):
        resp = app.get("/group/education")
        assert "Primary school teaching guide" in resp.body
        assert "Community forest report" not in resp.body

    def test_package_autocomplete(self, library):
        result = helpers.call_action("package_autocomplete", q="fores")
        assert [r["name"] for r in result] == ["forest-report"]

    def test_dataset_search_page(self, app, library):
        resp = app.get("/dataset/", query_string={"q": "forest"})
        assert "Community forest report" in resp.body
        assert "1 resource found" in resp.body


@pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", True)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_collaborator_sees_private_dataset_in_search_at_once(org):
    outsider = factories.User()
    dataset = factories.Dataset(name="shared-private", owner_org=org["id"], private=True)
    context = {"user": outsider["name"], "ignore_auth": False}
    assert helpers.call_action("package_search", context=dict(context),
                               include_private=True)["count"] == 0
    helpers.call_action("package_collaborator_create", id=dataset["id"],
                        user_id=outsider["id"], capacity="member")
    found = helpers.call_action("package_search", context=dict(context),
                                include_private=True)
    assert names(found) == ["shared-private"]
    helpers.call_action("package_collaborator_delete", id=dataset["id"],
                        user_id=outsider["id"])
    assert helpers.call_action("package_search", context=dict(context),
                               include_private=True)["count"] == 0
