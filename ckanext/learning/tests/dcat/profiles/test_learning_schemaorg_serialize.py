"""``learning_schemaorg``: the schema.org JSON-LD of the record and resource
pages (ckanext-dcat's ``structured_data`` plugin), in the page's language."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from ckanext.dcat.profiles import RDF, SCHEMA
from ckanext.learning.tests.dcat.conftest import (
    CSO_NAMES,
    GUIDE_KEYWORDS,
    GUIDE_TITLE,
    catalogue_config,
    json_ld_scripts,
)

pytestmark = [*catalogue_config(), pytest.mark.usefixtures("with_plugins")]

SITE = "http://test.ckan.net"
THEMES = {"en": {"Environment & Natural Resource Management", "Legal Resources"},
          "km": {"បរិស្ថាន និងការគ្រប់គ្រងធនធានធម្មជាតិ", "ធនធានច្បាប់"}}


def texts(g, subject, predicate):
    return {str(o) for o in g.objects(subject, predicate)}


def only_dataset(g):
    (dataset,) = g.subjects(RDF.type, SCHEMA.Dataset)
    return dataset


@pytest.fixture
def guide(shared_catalogue):
    return shared_catalogue.show(shared_catalogue.guide)


def resource_page(app, record, lang="", status=200):
    prefix = f"/{lang}" if lang else ""
    resource = record["resources"][0]
    html = app.get(f"{prefix}/learning-resource/{record['name']}/resource/{resource['id']}",
                   status=status).body
    return html, resource


@pytest.mark.usefixtures("shared_catalogue")
class TestResourcePage:
    @pytest.mark.parametrize("lang", ["en", "km"])
    def test_the_record_in_the_pages_language(self, app, guide, lang):
        html, _resource = resource_page(app, guide, lang)
        (g,) = json_ld_scripts(html)
        dataset = only_dataset(g)
        assert texts(g, dataset, SCHEMA.name) == {GUIDE_TITLE[lang]}
        assert texts(g, dataset, SCHEMA.description) == {guide["notes_translated"][lang]}
        assert texts(g, dataset, SCHEMA.keywords) == set(GUIDE_KEYWORDS[lang])
        themes = {str(g.value(about, SCHEMA.name))
                  for about in g.objects(dataset, SCHEMA.about)}
        assert themes == THEMES[lang]
        (publisher,) = g.objects(dataset, SCHEMA.publisher)
        assert texts(g, publisher, SCHEMA.name) == {CSO_NAMES[lang]}
        (creator,) = g.objects(dataset, SCHEMA.creator)
        assert texts(g, creator, SCHEMA.name) == {CSO_NAMES[lang]}
        # links stay in the page's language
        assert texts(g, dataset, SCHEMA.url) == {
            f"{SITE}/{lang}/learning-resource/{guide['name']}"}

    def test_files_languages_dates_and_licence(self, app, guide):
        html, resource = resource_page(app, guide)
        (g,) = json_ld_scripts(html)
        dataset = only_dataset(g)
        assert texts(g, dataset, SCHEMA.inLanguage) == {"km", "en"}
        assert list(g.objects(dataset, SCHEMA.datePublished)) == [Literal("2021")]
        assert texts(g, dataset, SCHEMA.license) == {guide["license_url"]}
        downloads = set(g.objects(dataset, SCHEMA.distribution))
        assert downloads == {
            URIRef(f"{SITE}/dataset/{guide['id']}/resource/{r['id']}")
            for r in guide["resources"]}
        node = URIRef(f"{SITE}/dataset/{guide['id']}/resource/{resource['id']}")
        assert texts(g, node, SCHEMA.encodingFormat) == {"application/pdf"}
        assert texts(g, node, SCHEMA.contentUrl) == {resource["url"]}
        assert texts(g, node, SCHEMA.inLanguage) == {resource["language"]}
        assert texts(g, node, SCHEMA.name) == {resource["name_translated"]["en"]}
        assert [int(o) for o in g.objects(node, SCHEMA.contentSize)] == [resource["size"]]

    def test_the_records_page_has_it_too(self, app, guide):
        html = app.get(f"/km/learning-resource/{guide['name']}", status=200).body
        (g,) = json_ld_scripts(html)
        assert texts(g, only_dataset(g), SCHEMA.name) == {GUIDE_TITLE["km"]}


@pytest.mark.usefixtures("shared_catalogue")
class TestWithoutStructuredData:
    def test_resource_pages_work_without_the_plugin(self, guide, ckan_config, monkeypatch,
                                                    make_app):
        import ckan.plugins as p

        plugins = [name for name in ckan_config["ckan.plugins"] if name != "structured_data"]
        monkeypatch.setitem(ckan_config, "ckan.plugins", plugins)
        p.unload_all()
        p.load_all()
        assert not p.plugin_loaded("structured_data")
        html, resource = resource_page(make_app(), guide)
        assert resource["name_translated"]["en"] in html
        assert json_ld_scripts(html) == []
