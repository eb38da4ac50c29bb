"""``records.py``: a record in the keys ckanext-dcat's profile reads."""
from __future__ import annotations

import copy

import pytest

from ckanext.learning.dcat import records

pytestmark = pytest.mark.usefixtures("with_plugins")

EU = "http://publications.europa.eu/resource/authority/"

RECORD = {
    "id": "r1", "name": "patrol-handbook", "type": "learning-resource",
    "title": "Patrol handbook",
    "title_translated": {"en": "Patrol handbook", "km": ""},
    "notes_translated": {"en": "How to patrol.", "km": "របៀបល្បាត។"},
    "keywords": {"en": ["patrol"], "km": []},
    "themes": ["environment-nrm", "no-such-theme"],
    "language": ["km", "other"],
    "license_id": "CC-BY-4.0", "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "marc21_260c": "2019", "marc21_110": {"en": "", "km": "សម្ព័ន្ធ"},
    "resources": [
        {"id": "f1", "url": "http://test.ckan.net/x/download/a.pdf", "url_type": "upload",
         "format": "PDF", "mimetype": "application/pdf", "size": "1234", "language": "both",
         "name_translated": {"en": "File", "km": ""}},
        {"id": "f2", "url": "https://example.org/reel", "url_type": "", "format": "Reel",
         "language": "en"},
    ],
}


@pytest.fixture
def mapped(app):
    with app.flask_app.test_request_context():
        original = copy.deepcopy(RECORD)
        out = records.for_dcat(RECORD)
        assert RECORD == original, "the record itself is never changed"
        yield out


def test_record_fields(mapped):
    assert mapped["tags_translated"] == {"en": ["patrol"]}
    assert mapped["title_translated"] == {"en": "Patrol handbook"}
    assert mapped["theme"] == ["http://test.ckan.net/learning/themes#environment-nrm"]
    assert mapped["language"] == [EU + "language/KHM"]
    assert mapped["url"] == "http://test.ckan.net/learning-resource/patrol-handbook"
    assert mapped["issued"] == "2019"
    assert mapped["creator"] == [{"name_translated": {"km": "សម្ព័ន្ធ"}}]
    assert "publisher" not in mapped  # no organisation


def test_an_author_that_is_the_organisation_is_its_agent(app):
    org = {"id": "o1", "name": "tonle", "title": "Tonle Alliance",
           "extras": [{"key": "title_translated",
                       "value": '{"en": "Tonle Alliance", "km": "សម្ព័ន្ធទន្លេ"}'}]}
    with app.flask_app.test_request_context():
        assert records._creator({"km": "សម្ព័ន្ធទន្លេ"}, org) == records.organization_agent(org)
        assert records._creator({"en": "Someone else"}, org) == {
            "name_translated": {"en": "Someone else"}}
        agent = records.organization_agent(org)
    assert agent["uri"] == "http://test.ckan.net/organization/o1"
    assert agent["name_translated"] == {"en": "Tonle Alliance", "km": "សម្ព័ន្ធទន្លេ"}


def test_files(mapped):
    upload, link = mapped["resources"]
    assert upload["download_url"] == RECORD["resources"][0]["url"]
    assert upload["access_url"] == \
        "http://test.ckan.net/learning-resource/patrol-handbook/resource/f1"
    assert upload["license"] == RECORD["license_url"]
    assert upload["format"] == EU + "file-type/PDF"
    assert upload["mimetype"] == "https://www.iana.org/assignments/media-types/application/pdf"
    assert upload["language"] == [EU + "language/KHM", EU + "language/ENG"]
    assert upload["size"] == 1234
    assert upload["name_translated"] == {"en": "File"}
    # an unknown format gives no value rather than a plain string
    assert "format" not in link and "mimetype" not in link
    assert "download_url" not in link and "access_url" not in link
    assert link["license"] == RECORD["license_url"]
