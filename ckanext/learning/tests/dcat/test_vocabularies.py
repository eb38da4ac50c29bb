"""``vocabularies.py``: codes of our records → the vocabularies DCAT-AP names."""
from __future__ import annotations

from ckanext.learning.dcat import vocabularies as vocab

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"


def test_languages():
    assert vocab.language_uri("km") == EU + "language/KHM"
    assert vocab.language_uri("en") == EU + "language/ENG"
    assert vocab.language_uri("km_KH") == EU + "language/KHM"
    assert vocab.language_uri("other") is None
    assert vocab.language_uris(["km", "en", "km", "other"]) == [
        EU + "language/KHM", EU + "language/ENG"]
    assert vocab.language_uris("both") == [EU + "language/KHM", EU + "language/ENG"]
    assert vocab.language_uris(None) == []


def test_file_types():
    assert vocab.file_type_uri("PDF") == EU + "file-type/PDF"
    assert vocab.file_type_uri(".docx") == EU + "file-type/DOCX"
    assert vocab.file_type_uri("mp4") == EU + "file-type/MPEG4"
    assert vocab.file_type_uri("jpg") == EU + "file-type/JPEG"
    assert vocab.file_type_uri("WebM") is None  # not in the EU table
    assert vocab.file_type_uri("Lesson-reel") is None
    assert vocab.file_type_uri(None) is None
    # a video site's page (its format is the site's name) is a web page
    assert vocab.file_type_uri("YouTube") == EU + "file-type/HTML"
    assert vocab.media_type_uri(None, "Vimeo").endswith("text/html")


def test_media_types():
    assert vocab.media_type_uri("application/pdf") == IANA + "application/pdf"
    assert vocab.media_type_uri("Text/CSV; charset=utf-8") == IANA + "text/csv"
    # what CKAN recorded wins over what the format suggests
    assert vocab.media_type_uri("application/zip", "PDF") == IANA + "application/zip"
    assert vocab.media_type_uri(None, "MP4") == IANA + "video/mp4"
    assert vocab.media_type_uri("", "WEBM") == IANA + "video/webm"
    assert vocab.media_type_uri(None, "Lesson-reel") is None


def test_every_format_of_the_upload_check_is_mapped():
    """The kinds of file ``ckanext.learning.upload.allowed_kinds`` accepts."""
    for fmt in ("PDF", "DOC", "DOCX", "ODT", "XLS", "XLSX", "ODS", "PPT", "PPTX", "ODP",
                "PNG", "JPEG", "GIF", "WEBP", "MP4", "WEBM", "MP3", "CSV", "JSON", "ZIP"):
        assert vocab.media_type_uri(None, fmt), fmt
        assert vocab.file_type_uri(fmt) or fmt == "WEBM", fmt


def test_licence_types_and_their_labels():
    assert vocab.licence_type_uris("CC-BY-SA-4.0") == [
        "http://purl.org/adms/licencetype/Attribution",
        "http://purl.org/adms/licencetype/ShareAlike"]
    assert vocab.licence_type_uris("no-such-licence") == []
    for licence in vocab.LICENCE_TYPES:
        for uri in vocab.licence_type_uris(licence):
            assert vocab.concept_label(uri), uri
    assert vocab.concept_label(vocab.NON_PROFIT) == "Non-Profit Organisation"
    assert vocab.concept_label(vocab.AVAILABILITY_STABLE) == "stable"


def test_countries():
    assert vocab.country_uri("kh") == EU + "country/KHM"
    assert vocab.country_uri("mekong") is None
    assert vocab.country_uri("global") is None
