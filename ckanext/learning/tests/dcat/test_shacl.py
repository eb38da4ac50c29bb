"""The catalogue against DCAT-AP 3.0.0's SHACL shapes (``shacl.py``).

0 violations of the mandatory shapes and of the ranges, for the catalogue,
each record's document and the themes' scheme; the warnings left are named,
each with the reason the records cannot say more.
"""
from __future__ import annotations

import pytest
from rdflib.namespace import DCAT, DCTERMS

from ckanext.learning.tests.dcat import shacl
from ckanext.learning.tests.dcat.conftest import catalogue_config, graph

pytestmark = [*catalogue_config(), pytest.mark.usefixtures("with_plugins")]

#: Recommended properties the records have no field for, or leave empty:
#: path → why.
KNOWN_GAPS = {
    str(DCTERMS.temporal): "a record that gives no period covered",
    str(DCAT.bbox): "provinces and the country come without geometries",
    str(DCAT.centroid): "provinces and the country come without geometries",
    str(DCTERMS.type): "an author other than the organisation has no agent type",
    str(DCTERMS.description): "a file described by its name only",
    str(DCTERMS.spatial): "a record of no particular place (global, or none given)",
}


def assert_no_violations(report: shacl.Report, where: str) -> None:
    assert report.violations == [], f"{where}:\n{report.text}"


def test_the_shapes_are_found_and_hold_the_byte_size_erratum():
    """The shapes are read from <repo>/../shared/dcat-ap/; 3.0.0's
    ``dcat:byteSize`` is still ``xsd:decimal`` there, so the correction of
    DCAT-AP 3.0.1 (``xsd:nonNegativeInteger``) is what the tests apply."""
    for name in (shacl.MANDATORY, shacl.RANGES, shacl.RECOMMENDED):
        assert (shacl.SHAPES_DIR / name).is_file(), name
    assert shacl.byte_size_erratum_present()


@pytest.mark.usefixtures("shared_catalogue")
class TestCatalogue:
    def test_no_violation_of_the_mandatory_shapes_nor_the_ranges(self, app):
        data = graph(app.get("/catalog.ttl", status=200).body)
        assert_no_violations(shacl.validate_graph(data, shacl.MANDATORY), "shapes")
        assert_no_violations(shacl.validate_graph(data, shacl.RANGES), "ranges")

    def test_every_record_document_too(self, app, shared_catalogue):
        for record in shared_catalogue.published:
            data = graph(app.get(f"/dataset/{record['id']}.ttl", status=200).body)
            report = shacl.validate_graph(data, shacl.MANDATORY, shacl.RANGES)
            assert_no_violations(report, record["name"])

    def test_the_theme_scheme_too(self, app):
        data = graph(app.get("/learning/themes.ttl", status=200).body)
        assert_no_violations(shacl.validate_graph(data, shacl.MANDATORY, shacl.RANGES),
                             "themes")

    def test_against_the_shapes_as_published_only_the_byte_sizes_differ(
            self, app, shared_catalogue):
        data = graph(app.get("/catalog.ttl", status=200).body)
        report = shacl.validate_graph(data, shacl.MANDATORY, corrected=False)
        sized = sum(1 for record in shared_catalogue.published
                    for r in shared_catalogue.show(record)["resources"] if r.get("size"))
        assert sized == 3
        assert report.summary() == {(str(DCAT.byteSize), "DatatypeConstraintComponent"): sized}

    def test_the_warnings_left_are_known_gaps(self, app, shared_catalogue):
        data = graph(app.get("/catalog.ttl", status=200).body)
        report = shacl.validate_graph(data)
        assert_no_violations(report, "all shapes")
        left = {path for path, _component in report.summary("Warning")}
        assert left <= set(KNOWN_GAPS), {p: n for (p, _c), n in
                                         report.summary("Warning").items()
                                         if p not in KNOWN_GAPS}
        # what the records do have is no longer missing
        for fixed in (DCAT.keyword, DCAT.theme, DCAT.themeTaxonomy, DCAT.contactPoint,
                      DCTERMS.license, DCTERMS.publisher, DCTERMS.format):
            assert str(fixed) not in left, fixed
        unplaced = {focus for _s, path, _c, focus in report.warnings
                    if path == str(DCTERMS.spatial)}
        assert unplaced == {f"http://test.ckan.net/dataset/{shared_catalogue.slides['id']}"}

    def test_ckanext_dcats_own_profile_fails_the_shapes(self, app):
        """The control: what ``euro_dcat_ap_3`` alone gives the same records."""
        data = graph(app.get("/catalog.ttl?profiles=euro_dcat_ap_3", status=200).body)
        report = shacl.validate_graph(data, shacl.MANDATORY, shacl.RANGES)
        failing = {path for path, _component in report.summary()}
        assert {str(DCTERMS.language), str(DCTERMS["format"]), str(DCAT.mediaType),
                str(DCTERMS.publisher)} <= failing
