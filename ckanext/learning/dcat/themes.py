"""The nine themes as a SKOS concept scheme, the target of ``dcat:theme``.

The scheme is published by the portal at ``/learning/themes`` (``.ttl``,
``.rdf``, ``.jsonld``, ``.n3``; see ``views.py``) under the catalogue's base
URI, and each theme is a hash URI inside it (``…/learning/themes#education``),
so a concept dereferences to the document that defines it.  Labels come from
``data/themes.json`` in both languages; the URIs depend on the theme's name
only, so they stay put when a title is reworded.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from ckanext.dcat.utils import catalog_uri
from ckanext.learning.themes.catalogue import themes

#: The scheme's path on the portal, without a format.
PATH = "/learning/themes"

#: The scheme's own title and description, in both languages.
TITLE = {"en": "Themes of the Learning Platform", "km": "ប្រធានបទនៃវេទិកាសិក្សា"}
DESCRIPTION = {
    "en": "The nine themes under which Open Development Cambodia's Learning "
          "Platform files its learning resources.",
    "km": "ប្រធានបទទាំងប្រាំបួន ដែលវេទិកាសិក្សារបស់អូផិនដេវេឡុបមិនខេមបូឌា "
          "ចាត់ថ្នាក់ធនធានសិក្សា។",
}


def scheme_uri() -> URIRef:
    return URIRef(catalog_uri().rstrip("/") + PATH)


def concept_uri(name: str) -> URIRef:
    return URIRef(f"{scheme_uri()}#{name}")


def _by_name() -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in themes()}


def known(names: Iterable[str]) -> list[str]:
    """The theme names among ``names``, in their order, once each."""
    all_themes = _by_name()
    found: list[str] = []
    for name in names or ():
        if name in all_themes and name not in found:
            found.append(name)
    return found


def add_scheme(graph: Graph) -> URIRef:
    """The concept scheme itself (typed, titled), without its concepts."""
    scheme = scheme_uri()
    graph.bind("skos", SKOS)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang, text in TITLE.items():
        graph.add((scheme, DCTERMS.title, Literal(text, lang=lang)))
        graph.add((scheme, SKOS.prefLabel, Literal(text, lang=lang)))
    for lang, text in DESCRIPTION.items():
        graph.add((scheme, DCTERMS.description, Literal(text, lang=lang)))
    return scheme


def add_concepts(graph: Graph, names: Iterable[str] | None = None) -> list[URIRef]:
    """The themes ``names`` (all nine by default) as concepts of the scheme,
    labelled and defined in Khmer and English."""
    all_themes = _by_name()
    chosen = list(all_themes) if names is None else known(names)
    scheme = scheme_uri()
    graph.bind("skos", SKOS)
    added = []
    for name in chosen:
        theme = all_themes[name]
        concept = concept_uri(name)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
        graph.add((concept, SKOS.notation, Literal(name)))
        graph.add((concept, SKOS.prefLabel, Literal(theme["title"], lang="en")))
        graph.add((concept, SKOS.prefLabel, Literal(theme["title_km"], lang="km")))
        graph.add((concept, SKOS.definition, Literal(theme["description"], lang="en")))
        graph.add((concept, SKOS.definition,
                   Literal(theme["description_km"], lang="km")))
        graph.add((concept, FOAF.page,
                   URIRef(tk.url_for("group.read", id=name, _external=True, locale="default"))))
        added.append(concept)
    return added


def scheme_graph() -> Graph:
    """The whole scheme: what ``/learning/themes`` serves."""
    graph = Graph()
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    add_scheme(graph)
    add_concepts(graph)
    return graph
