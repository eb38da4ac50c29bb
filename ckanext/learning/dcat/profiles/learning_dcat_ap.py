"""``learning_dcat_ap``: DCAT-AP 3 for the learning library, both languages intact.

ckanext-dcat's ``euro_dcat_ap_3`` profile does the serialising: this profile
hands it each record renamed into its keys (:func:`records.for_dcat`), then
adds what it has no key for:

* the themes as concepts of our SKOS scheme (``dcat:theme`` objects typed and
  labelled), and the scheme as the catalogue's ``dcat:themeTaxonomy``;
* the provinces (``provinces``) and the country as ``dct:spatial`` locations
  labelled in Khmer and English, with their codes;
* licence documents with ADMS licence types, also for the licences that have
  no URL; publisher and licence types typed as concepts (DCAT-AP's ranges);
* for the catalogue: EU language URIs for the offered locales, Khmer title
  and description, its publisher (``ckanext.learning.dcat.publisher``), its
  country, its licence and first publication date.

Configure it alone, ``ckanext.dcat.rdf.profiles = learning_dcat_ap``: it is
``euro_dcat_ap_3`` plus the above (chained after ``euro_dcat_ap_3`` the
plain-string values of that profile would stay in the graph).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef

from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import DCAT, DCATAP, DCT, FOAF, RDF, RDFS, SKOS
from ckanext.learning import config
from ckanext.learning.dcat import records
from ckanext.learning.dcat import themes as theme_scheme
from ckanext.learning.dcat import vocabularies as vocab
from ckanext.learning.library.helpers import learning_province_choices

#: Labels of the countries of ``odm_spatial_range`` (the schema's choices).
COUNTRY_LABELS = {"kh": {"en": "Cambodia", "km": "កម្ពុជា"}}


class LearningDCATAPProfile(EuropeanDCATAP3Profile):
    """ckanext-dcat's DCAT-AP 3 profile, fed learning resources."""

    def _concept(self, uri: Any) -> None:
        """Type a concept of another vocabulary (a DCAT-AP range), with its
        label when we know it (the shapes want one)."""
        self.g.add((uri, RDF.type, SKOS.Concept))
        label = vocab.concept_label(uri)
        if label and (uri, SKOS.prefLabel, None) not in self.g:
            self.g.add((uri, SKOS.prefLabel, Literal(label, lang="en")))

    # -- datasets ---------------------------------------------------------------
    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        record = records.for_dcat(dataset_dict, cache_on=self.g)
        super().graph_from_dataset(record, dataset_ref)
        self._add_themes(record, dataset_ref)
        self._type_agents(dataset_ref)
        self._add_licences(record, dataset_ref)
        self._add_spatial(dataset_dict, dataset_ref)
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            for availability in list(self.g.objects(distribution, DCATAP.availability)):
                self._concept(availability)

    def _add_themes(self, record: dict[str, Any], dataset_ref: Any) -> None:
        if record.get("theme"):
            theme_scheme.add_scheme(self.g)
            theme_scheme.add_concepts(self.g, record.get("themes") or [])

    def _type_agents(self, subject: Any) -> None:
        """DCAT-AP's range of an agent's ``dct:type`` is ``skos:Concept``;
        organisations are ``foaf:Organization`` too."""
        for predicate in (DCT.publisher, DCT.creator):
            for agent in self.g.objects(subject, predicate):
                for agent_type in list(self.g.objects(agent, DCT.type)):
                    self._concept(agent_type)
        for agent in self.g.objects(subject, DCT.publisher):
            self.g.add((agent, RDF.type, FOAF.Organization))

    def _licence_node(self, license_id: str, title: str | None, url: str | None) -> Any:
        node = URIRef(url) if url else BNode()
        self.g.add((node, RDF.type, DCT.LicenseDocument))
        if title:
            self.g.add((node, DCT.title, Literal(title)))
            self.g.add((node, RDFS.label, Literal(title)))
        types = vocab.licence_type_uris(license_id) or [vocab.UNKNOWN_LICENCE_TYPE]
        if vocab.UNKNOWN_LICENCE_TYPE not in types:
            # ckanext-dcat marks every licence "unknown IPR" (its own TODO)
            self.g.remove((node, DCT.type, URIRef(vocab.UNKNOWN_LICENCE_TYPE)))
        for licence_type in types:
            self.g.add((node, DCT.type, URIRef(licence_type)))
            self._concept(URIRef(licence_type))
        return node

    def _add_licences(self, record: dict[str, Any], dataset_ref: Any) -> None:
        """Every distribution carries the record's licence (``records`` gives
        ckanext-dcat its URI): typed here, or, for a licence without a URL
        (all rights reserved, not specified), a licence document titled as
        the licence."""
        license_id = record.get("license_id")
        if not license_id:
            return
        title = record.get("license_title")
        url = record.get("license_url") or None
        distributions = list(self.g.objects(dataset_ref, DCAT.distribution))
        if url and any((d, DCT.license, URIRef(url)) in self.g for d in distributions):
            self._licence_node(license_id, title, url)
        node = None
        for distribution in distributions:
            if (distribution, DCT.license, None) not in self.g:
                node = node or self._licence_node(license_id, title, None)
                self.g.add((distribution, DCT.license, node))

    def _add_spatial(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        chosen = dataset_dict.get("provinces") or []
        if isinstance(chosen, str):
            chosen = [chosen]
        # the provinces are Cambodia's: the record is about Cambodia then
        country = "kh" if chosen else dataset_dict.get("odm_spatial_range")
        country_uri = vocab.country_uri(country)
        if country_uri:
            location = URIRef(country_uri)
            self.g.add((dataset_ref, DCT.spatial, location))
            self.g.add((location, RDF.type, DCT.Location))
            for lang, label in COUNTRY_LABELS.get(country, {}).items():
                self.g.add((location, SKOS.prefLabel, Literal(label, lang=lang)))
        provinces = {p["value"]: p["label"] for p in learning_province_choices()}
        for code in chosen:
            if code not in provinces:
                continue
            location = BNode()
            self.g.add((dataset_ref, DCT.spatial, location))
            self.g.add((location, RDF.type, DCT.Location))
            self.g.add((location, SKOS.notation, Literal(code)))
            # the provinces' codes are ISO 3166-2:KH's numbers
            self.g.add((location, DCT.identifier, Literal(f"KH-{int(code)}")))
            for lang, label in provinces[code].items():
                self.g.add((location, SKOS.prefLabel, Literal(label, lang=lang)))
            if country_uri:
                self.g.add((location, DCT.isPartOf, URIRef(country_uri)))

    # -- the catalogue ----------------------------------------------------------
    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Any) -> None:
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        default_lang = self._get_default_locale_lang() or "en"

        # title and description: the site's, in its default language, and Khmer
        for predicate, khmer in ((DCT.title, config.dcat_title_km()),
                                 (DCT.description, config.dcat_description_km())):
            for value in list(g.objects(catalog_ref, predicate)):
                if isinstance(value, Literal) and not value.language:
                    g.remove((catalog_ref, predicate, value))
                    g.add((catalog_ref, predicate, Literal(str(value), lang=default_lang)))
            if khmer:
                g.add((catalog_ref, predicate, Literal(khmer, lang="km")))

        # the languages offered, as EU language URIs
        g.remove((catalog_ref, DCT.language, None))
        offered = tk.config.get("ckan.locales_offered") or [default_lang]
        if isinstance(offered, str):
            offered = offered.split()
        for uri in vocab.language_uris(list(offered)):
            g.add((catalog_ref, DCT.language, URIRef(uri)))
            g.add((URIRef(uri), RDF.type, DCT.LinguisticSystem))

        # the portal's home page (``…/``), not the catalogue itself: ckanext-dcat
        # gives both the site URL
        home = URIRef(tk.url_for("home.index", _external=True, locale="default"))
        if home != catalog_ref:
            g.remove((catalog_ref, FOAF.homepage, None))
            g.add((catalog_ref, FOAF.homepage, home))
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))

        self._add_catalog_publisher(catalog_ref)

        scheme = theme_scheme.add_scheme(g)
        theme_scheme.add_concepts(g)
        g.add((catalog_ref, DCAT.themeTaxonomy, scheme))

        country = URIRef(vocab.country_uri("kh"))
        g.add((catalog_ref, DCT.spatial, country))
        g.add((country, RDF.type, DCT.Location))
        for lang, label in COUNTRY_LABELS["kh"].items():
            g.add((country, SKOS.prefLabel, Literal(label, lang=lang)))

        if config.dcat_license():
            licence = URIRef(config.dcat_license())
            g.add((catalog_ref, DCT.license, licence))
            g.add((licence, RDF.type, DCT.LicenseDocument))

        first = self._first_catalog_publication()
        if first:
            self._add_date_triple(catalog_ref, DCT.issued, first)

    def _add_catalog_publisher(self, catalog_ref: Any) -> None:
        org = records.organization(config.dcat_publisher(), cache_on=self.g)
        if org:
            agent = records.organization_agent(org)
        else:
            agent = {"name": tk.config.get("ckan.site_title") or "",
                     "type": config.dcat_publisher_type()}
        self._add_agents(catalog_ref, {"publisher": [agent]}, "publisher", DCT.publisher)
        self._type_agents(catalog_ref)

    def _first_catalog_publication(self) -> str | None:
        """When the first public record was published (``metadata_created``)."""
        result = tk.get_action("package_search")({"ignore_auth": True}, {
            "sort": "metadata_created asc", "rows": 1})
        if result and result.get("results"):
            return result["results"][0]["metadata_created"]
        return None
