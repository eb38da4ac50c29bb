"""``themes.py``: the SKOS concept scheme of the nine themes."""
from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.learning.dcat import themes as theme_scheme
from ckanext.learning.themes.catalogue import themes

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture
def scheme(app):
    with app.flask_app.test_request_context():
        yield theme_scheme.scheme_graph()


def test_nine_concepts_labelled_and_defined_in_both_languages(scheme):
    root = URIRef("http://test.ckan.net/learning/themes")
    assert (root, RDF.type, SKOS.ConceptScheme) in scheme
    assert {o.language for o in scheme.objects(root, DCTERMS.title)} == {"en", "km"}
    assert len(themes()) == 9
    for theme in themes():
        concept = URIRef(f"{root}#{theme['name']}")
        assert (concept, SKOS.inScheme, root) in scheme
        assert (root, SKOS.hasTopConcept, concept) in scheme
        labels = {(str(o), o.language) for o in scheme.objects(concept, SKOS.prefLabel)}
        assert labels == {(theme["title"], "en"), (theme["title_km"], "km")}
        definitions = {o.language for o in scheme.objects(concept, SKOS.definition)}
        assert definitions == {"en", "km"}
        assert str(scheme.value(concept, SKOS.notation)) == theme["name"]


@pytest.mark.ckan_config("ckanext.dcat.base_uri", "https://learning.example.org")
def test_uris_follow_the_catalogues_base_uri(app):
    with app.flask_app.test_request_context():
        assert theme_scheme.concept_uri("education") == URIRef(
            "https://learning.example.org/learning/themes#education")


def test_only_known_themes(app):
    assert theme_scheme.known(["journalism", "no-such-theme", "journalism",
                               "education"]) == ["journalism", "education"]
