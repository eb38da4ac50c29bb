"""The controlled vocabularies DCAT-AP 3 expects, for the values our records hold.

Each table maps what the learning-resource schema stores (``km``, ``PDF``,
``CC-BY-4.0`` ...) to a concept of the vocabulary DCAT-AP names: the EU
Publications Office's authority tables (languages, file types, countries,
planned availability), IANA's media types and the ADMS publisher and licence
types.  A value without an entry gets no triple rather than a plain string
(which the DCAT-AP shapes reject).
"""
from __future__ import annotations

from ckanext.learning.library.portal import VIDEO_HOSTS

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"

#: Language codes of the schema (and of ``ckan.locales_offered``) → EU
#: language authority codes.  ``other`` says nothing a harvester can use.
LANGUAGES = {"km": "KHM", "en": "ENG"}

#: The resource ``language`` choice meaning both.
BOTH_LANGUAGES = {"both": ("km", "en")}

#: Resource formats (upper case, as CKAN shows them) → (EU file-type code,
#: IANA media type).  The file kinds the upload check accepts
#: (``ckanext.learning.upload.allowed_kinds``) and the usual link targets.
#: The EU table has no WebM entry: those get a media type only.
FORMATS: dict[str, tuple[str | None, str]] = {
    "PDF": ("PDF", "application/pdf"),
    "DOC": ("DOC", "application/msword"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument."
                     "wordprocessingml.document"),
    "ODT": ("ODT", "application/vnd.oasis.opendocument.text"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PPT": ("PPT", "application/vnd.ms-powerpoint"),
    "PPTX": ("PPTX", "application/vnd.openxmlformats-officedocument."
                     "presentationml.presentation"),
    "ODP": ("ODP", "application/vnd.oasis.opendocument.presentation"),
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
    "JPG": ("JPEG", "image/jpeg"),
    "GIF": ("GIF", "image/gif"),
    "WEBP": ("WEBP", "image/webp"),
    "MP4": ("MPEG4", "video/mp4"),
    "WEBM": (None, "video/webm"),
    "MP3": ("MP3", "audio/mpeg"),
    "CSV": ("CSV", "text/csv"),
    "JSON": ("JSON", "application/json"),
    "ZIP": ("ZIP", "application/zip"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
}
# a link to a video site is a web page there (its format is the site's name,
# library/validators.learning_link_format)
FORMATS.update({site.upper(): FORMATS["HTML"] for site in VIDEO_HOSTS.values()})

#: Licence ids of ``data/licenses.json`` → ADMS licence types.
LICENCE_TYPES = {
    "CC-BY-4.0": ("Attribution",),
    "CC-BY-SA-4.0": ("Attribution", "ShareAlike"),
    "CC0-1.0": ("PublicDomain",),
    "CC-BY-NC-4.0": ("Attribution", "NonCommercialUseOnly"),
    "CC-BY-NC-SA-4.0": ("Attribution", "NonCommercialUseOnly", "ShareAlike"),
    "ODC-BY-1.0": ("Attribution",),
    "other-closed": ("OtherRestrictiveClauses",),
    "notspecified": ("UnknownIPR",),
}
UNKNOWN_LICENCE_TYPE = ADMS_LICENCE_TYPE + "UnknownIPR"

#: ``odm_spatial_range`` values that are a country of the EU country table.
COUNTRIES = {"kh": "KHM"}

#: Planned availability: files the portal keeps, and links to elsewhere.
AVAILABILITY_STABLE = EU_AUTHORITY + "planned-availability/STABLE"
AVAILABILITY_AVAILABLE = EU_AUTHORITY + "planned-availability/AVAILABLE"

NON_PROFIT = ADMS_PUBLISHER_TYPE + "NonProfitOrganisation"

#: The English labels of the concepts of other vocabularies we type as
#: ``skos:Concept`` (DCAT-AP's ranges; its shapes want a ``skos:prefLabel``).
CONCEPT_LABELS = {
    **{ADMS_LICENCE_TYPE + name: label for name, label in (
        ("Attribution", "Attribution"), ("ShareAlike", "Share-alike"),
        ("NonCommercialUseOnly", "Non-commercial use only"),
        ("PublicDomain", "Public domain"),
        ("OtherRestrictiveClauses", "Other restrictive clauses"),
        ("UnknownIPR", "Unknown IPR"))},
    **{ADMS_PUBLISHER_TYPE + name: label for name, label in (
        ("NonProfitOrganisation", "Non-Profit Organisation"),
        ("NonGovernmentalOrganisation", "Non-Governmental Organisation"),
        ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
        ("Company", "Company"), ("IndustryConsortium", "Industry consortium"),
        ("InternationalOrganisation", "International organisation"),
        ("LocalAuthority", "Local Authority"), ("NationalAuthority", "National authority"),
        ("RegionalAuthority", "Regional authority"),
        ("StandardisationBody", "Standardisation body"),
        ("SupraNationalAuthority", "Supra-national authority"))},
    AVAILABILITY_STABLE: "stable",
    AVAILABILITY_AVAILABLE: "available",
}


def language_uri(code: str | None) -> str | None:
    """``km`` → the EU authority's Khmer (``…/language/KHM``)."""
    found = LANGUAGES.get((code or "").split("_")[0].lower())
    return f"{EU_AUTHORITY}language/{found}" if found else None


def language_uris(codes: object) -> list[str]:
    """Language URIs for a code or a list of codes, in order, once each;
    ``both`` stands for Khmer and English."""
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, (list, tuple)):
        return []
    found: list[str] = []
    for code in codes:
        for each in BOTH_LANGUAGES.get(code, (code,)):
            uri = language_uri(each)
            if uri and uri not in found:
                found.append(uri)
    return found


def _format_entry(fmt: str | None) -> tuple[str | None, str] | None:
    return FORMATS.get((fmt or "").strip().lstrip(".").upper())


def file_type_uri(fmt: str | None) -> str | None:
    """``PDF`` → ``…/file-type/PDF``; ``MP4`` → ``…/file-type/MPEG4``."""
    entry = _format_entry(fmt)
    return f"{EU_AUTHORITY}file-type/{entry[0]}" if entry and entry[0] else None


def media_type_uri(mimetype: str | None, fmt: str | None = None) -> str | None:
    """The IANA URI of ``mimetype`` (as CKAN recorded it), else of the media
    type that goes with ``fmt``."""
    value = (mimetype or "").split(";")[0].strip().lower()
    if not value or "/" not in value:
        entry = _format_entry(fmt)
        value = entry[1] if entry else ""
    return IANA_MEDIA_TYPES + value if value else None


def licence_type_uris(license_id: str | None) -> list[str]:
    return [ADMS_LICENCE_TYPE + name for name in LICENCE_TYPES.get(license_id or "", ())]


def country_uri(code: str | None) -> str | None:
    found = COUNTRIES.get(code or "")
    return f"{EU_AUTHORITY}country/{found}" if found else None


def concept_label(uri: str) -> str | None:
    """The English label of a concept of those vocabularies, if known."""
    return CONCEPT_LABELS.get(str(uri))
