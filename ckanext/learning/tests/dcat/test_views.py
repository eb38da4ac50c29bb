"""``views.py``: the themes' scheme on the portal, catalogue paging that
counts what it serves, and bad page numbers answered with a 400 in RDF."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, SKOS, XSD

from ckanext.dcat.utils import CONTENT_TYPES, url_to_rdflib_format
from ckanext.learning.dcat import views
from ckanext.learning.tests.dcat.conftest import catalogue_config, graph
from ckanext.learning.themes.catalogue import themes

pytestmark = [*catalogue_config(), pytest.mark.usefixtures("with_plugins")]

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SITE = "http://test.ckan.net"
SCHEME = URIRef(f"{SITE}/learning/themes")


def parse(response, fmt: str) -> Graph:
    parser = url_to_rdflib_format(fmt)
    return graph(response.body, "xml" if parser == "pretty-xml" else parser)


def served(app, query: str = "") -> tuple[set[str], list[int]]:
    """Every dataset of every page of the catalogue, following ``hydra:next``,
    and the ``hydra:totalItems`` each page announced."""
    seen: set[str] = set()
    totals: list[int] = []
    url = f"/catalog.ttl?{query}"
    while url:
        g = graph(app.get(url, status=200).body)
        page = set(g.subjects(RDF.type, DCAT.Dataset))
        assert not page & seen, "a dataset on two pages"
        seen |= {str(d) for d in page}
        totals += [int(t) for t in g.objects(None, HYDRA.totalItems)]
        following = [str(n) for n in g.objects(None, HYDRA.next)]
        url = following[0].replace(SITE, "") if following else None
    return seen, totals


@pytest.mark.usefixtures("shared_catalogue")
class TestPaging:
    @pytest.mark.parametrize("per_page", [2, 100])
    def test_total_items_is_what_is_served(self, app, shared_catalogue, ckan_config,
                                           monkeypatch, per_page):
        monkeypatch.setitem(ckan_config, "ckanext.dcat.datasets_per_page", per_page)
        seen, totals = served(app)
        published = {f"{SITE}/dataset/{r['id']}" for r in shared_catalogue.published}
        assert seen == published
        assert set(totals) == {len(published)}
        assert len(totals) == -(-len(published) // per_page)  # one per page
        for record in shared_catalogue.hidden.values():  # private, draft, deleted, pending
            assert f"{SITE}/dataset/{record['id']}" not in seen

    def test_as_any_user_too(self, app, shared_catalogue):
        """Whoever asks (here a sysadmin) gets the public catalogue."""
        from ckan.tests import factories

        token = factories.APIToken(user=factories.Sysadmin()["name"])["token"]
        g = graph(app.get("/catalog.ttl", headers={"Authorization": token},
                          status=200).body)
        datasets = set(g.subjects(RDF.type, DCAT.Dataset))
        assert [int(t) for t in g.objects(None, HYDRA.totalItems)] == [len(datasets)] == [3]

    def test_a_page_after_the_last_is_empty_not_an_error(self, app):
        g = graph(app.get("/catalog.ttl?page=7", status=200).body)
        assert list(g.subjects(RDF.type, DCAT.Dataset)) == []
        assert [int(t) for t in g.objects(None, HYDRA.totalItems)] == [3]

    def test_modified_since(self, app):
        g = graph(app.get("/catalog.ttl?modified_since=2000-01-01", status=200).body)
        assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 3


class TestBadRequests:
    def test_bad_page_numbers(self, app):
        for page in ("0", "-1", "abc", "1.5", "2e3", "9" * 13):
            response = app.get(f"/catalog.ttl?page={page}", status=400)
            assert response.headers["Content-Type"].startswith("text/turtle"), page
            self._assert_error(parse(response, "ttl"), page)

    def test_in_the_format_asked_for(self, app):
        for fmt in ("rdf", "xml", "jsonld", "n3"):
            response = app.get(f"/catalog.{fmt}?page=0", status=400)
            assert response.headers["Content-Type"].startswith(CONTENT_TYPES[fmt]), fmt
            self._assert_error(parse(response, fmt), "0")

    def test_a_modified_since_that_is_no_date(self, app):
        response = app.get("/catalog.ttl?modified_since=yesterday-ish", status=400)
        self._assert_error(parse(response, "ttl"), "yesterday-ish")

    def test_the_first_page_by_empty_or_one(self, app):
        for query in ("?page=", "?page=1", ""):
            app.get(f"/catalog.ttl{query}", status=200)

    def test_the_api_is_left_as_ckan_answers(self, app):
        """The action API keeps CKAN's own error (a 409 in JSON)."""
        response = app.get("/api/3/action/dcat_catalog_show?page=0", status=409)
        assert response.json["success"] is False

    def test_the_guard_keys_on_ckanext_dcats_catalogue_view(self, app):
        """The seam: ckanext-dcat's catalogue view is still called so."""
        endpoints = {rule.endpoint for rule in app.flask_app.url_map.iter_rules()
                     if rule.rule == "/catalog.<_format>"}
        assert endpoints == {views.CATALOG_ENDPOINT}

    @staticmethod
    def _assert_error(g: Graph, value: str) -> None:
        (error,) = g.subjects(RDF.type, HYDRA.Error)
        assert g.value(error, HYDRA.statusCode) == Literal(400, datatype=XSD.integer)
        descriptions = {d.language: str(d) for d in g.objects(error, HYDRA.description)}
        assert set(descriptions) == {"en", "km"}
        assert all(value in text for text in descriptions.values())


class TestThemeScheme:
    def test_published_in_each_format(self, app):
        for fmt in ("ttl", "rdf", "xml", "jsonld", "n3"):
            response = app.get(f"/learning/themes.{fmt}", status=200)
            assert response.headers["Content-Type"].startswith(CONTENT_TYPES[fmt]), fmt
            g = parse(response, fmt)
            assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g, fmt
            concepts = set(g.subjects(RDF.type, SKOS.Concept))
            assert concepts == {URIRef(f"{SCHEME}#{t['name']}") for t in themes()}, fmt
            for theme in themes():
                labels = {(str(o), o.language) for o in
                          g.objects(URIRef(f"{SCHEME}#{theme['name']}"), SKOS.prefLabel)}
                assert labels == {(theme["title"], "en"), (theme["title_km"], "km")}, fmt

    def test_negotiated(self, app):
        for accept, fmt in (("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
                            ("application/rdf+xml", "rdf"), ("*/*", "ttl"), (None, "ttl")):
            headers = {"Accept": accept} if accept else {}
            response = app.get("/learning/themes", headers=headers, status=200)
            assert response.headers["Content-Type"].startswith(CONTENT_TYPES[fmt]), accept
            assert (SCHEME, RDF.type, SKOS.ConceptScheme) in parse(response, fmt), accept

    def test_browsers_go_to_the_themes_page(self, app):
        response = app.get("/learning/themes", follow_redirects=False, status=303,
                           headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert response.headers["Location"].rstrip("/").endswith("/group")

    def test_an_unknown_format_is_not_found(self, app):
        app.get("/learning/themes.html", status=404)
