"""A small realistic catalogue: bilingual records of two organisations with
Khmer and English names, uploaded PDFs and links, several licences and
themes, and the records a catalogue must leave out (private, draft, deleted,
waiting for review)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN
from rdflib import Graph

from ckanext.learning.library.demo import demo_pdf
from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.themes.catalogue import create_themes

#: The catalogue options of the portal (etc/portal-options.ini), and ours.
CATALOGUE_CONFIG = {
    "ckan.site_description": "Open Development Cambodia's Khmer and English library "
                             "of CSO learning resources",
    "ckanext.learning.dcat.title_km": "វេទិកាសិក្សា",
    "ckanext.learning.dcat.description_km": "បណ្ណាល័យធនធានសិក្សាជាភាសាខ្មែរ និងអង់គ្លេស",
    "ckanext.learning.dcat.contact_email": "learning@odc.example.org",
    "ckanext.learning.dcat.license": "https://creativecommons.org/licenses/by/4.0/",
    "ckanext.learning.review.notify": False,
}

ODC_NAMES = {"en": "Open Development Cambodia", "km": "អូផិនដេវេឡុបមិនខេមបូឌា"}
CSO_NAMES = {"en": "Tonle Community Forest Alliance", "km": "សម្ព័ន្ធព្រៃសហគមន៍ទន្លេ"}

GUIDE_TITLE = {"en": "Managing a Community Fishery: A Practical Guide",
               "km": "ការគ្រប់គ្រងសហគមន៍នេសាទ៖ មគ្គុទ្ទេសក៍ជាក់ស្ដែង"}
GUIDE_KEYWORDS = {"en": ["community-fisheries", "tonle-sap"],
                  "km": ["សហគមន៍នេសាទ", "បឹងទន្លេសាប"]}
VIDEO_TITLE = {"en": "Guardians of the Forest: Community Patrols in Preah Vihear",
               "km": "អ្នកការពារព្រៃឈើ៖ ការល្បាតរបស់សហគមន៍នៅខេត្តព្រះវិហារ"}
VIDEO_URL = "https://video.example.org/guardians-of-the-forest"
SLIDES_TITLE = {"en": "Women's Leadership in Community Groups: Training Slides",
                "km": "ភាពជាអ្នកដឹកនាំរបស់ស្ត្រីក្នុងក្រុមសហគមន៍៖ ស្លាយបណ្ដុះបណ្ដាល"}


def organization(name: str, names: dict[str, str]) -> dict[str, Any]:
    """An organisation with Khmer and English names (the organisation
    schema's ``title_translated``)."""
    return LocalCKAN().action.organization_create(name=name, title_translated=names)


def upload(dataset_id: str, filename: str, content: bytes, **fields: Any) -> dict[str, Any]:
    return LocalCKAN().call_action(
        "resource_create", dict(fields, package_id=dataset_id, url=filename),
        files={"upload": (filename, io.BytesIO(content))})


@dataclass
class Catalogue:
    odc: dict[str, Any]
    cso: dict[str, Any]
    guide: dict[str, Any]
    video: dict[str, Any]
    slides: dict[str, Any]
    #: records the catalogue must not list
    hidden: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def published(self) -> list[dict[str, Any]]:
        return [self.guide, self.video, self.slides]

    def show(self, record: dict[str, Any]) -> dict[str, Any]:
        return LocalCKAN().action.package_show(id=record["id"])


def build_catalogue(with_hidden: bool = True) -> Catalogue:
    site = LocalCKAN()
    odc = organization("odc", ODC_NAMES)
    cso = organization("tonle-forest-alliance", CSO_NAMES)

    guide = site.action.package_create(**learning_resource(
        cso, "community-fisheries-guide",
        title_translated=GUIDE_TITLE,
        notes_translated={
            "en": "How community fisheries committees draw up internal rules and map "
                  "fish conservation areas.",
            "km": "របៀបដែលគណៈកម្មការសហគមន៍នេសាទរៀបចំបទបញ្ជាផ្ទៃក្នុង "
                  "និងគូសផែនទីតំបន់អភិរក្សត្រី។"},
        themes=["environment-nrm", "legal-resources"],
        language=["km", "en"], keywords=GUIDE_KEYWORDS,
        provinces=["15", "06", "17"], marc21_260c="2021",
        temporal_start="2016", temporal_end="2020",
        marc21_110=CSO_NAMES, license_id="CC-BY-4.0"))
    for lang in ("km", "en"):
        pdf = demo_pdf(GUIDE_TITLE["en"], f"The guide ({lang}).", cso["title"])
        upload(guide["id"], f"fisheries-guide-{lang}.pdf", pdf, format="PDF",
               language=lang, resource_kind="document",
               name_translated={"en": f"Guide ({lang})", "km": f"មគ្គុទ្ទេសក៍ ({lang})"},
               description_translated={"en": "The full text.", "km": "អត្ថបទពេញ។"})

    video = site.action.package_create(**learning_resource(
        cso, "forest-patrol-video", resource_type="video",
        title_translated=VIDEO_TITLE,
        notes_translated={"en": "A short documentary on a community forest patrol team.",
                          "km": "វីដេអូឯកសារខ្លីអំពីក្រុមល្បាតព្រៃសហគមន៍។"},
        themes=["environment-nrm", "indigenous-peoples"], language=["km"],
        keywords={"en": ["forest-patrol"], "km": ["ការល្បាតព្រៃ"]},
        provinces=["13"], odm_spatial_range="kh", duration_minutes=18,
        license_id="CC-BY-SA-4.0",
        resources=[{"url": VIDEO_URL, "format": "MP4", "language": "km",
                    "resource_kind": "video",
                    "name_translated": {"en": "Watch the documentary",
                                        "km": "ទស្សនាវីដេអូឯកសារ"}}]))

    slides = site.action.package_create(**learning_resource(
        odc, "women-leadership-slides", resource_type="presentation",
        title_translated=SLIDES_TITLE,
        notes_translated={"en": "Slides for a one-day training of women group leaders.",
                          "km": "ស្លាយសម្រាប់វគ្គបណ្ដុះបណ្ដាលមួយថ្ងៃ សម្រាប់អ្នកដឹកនាំក្រុមស្ត្រី។"},
        themes=["gender-social-inclusion", "training-materials"], language=["en", "km"],
        keywords={"en": ["leadership"], "km": []}, odm_spatial_range="global",
        marc21_020="9789924012344", license_id="other-closed",
        odm_contact={"en": "ODC training team", "km": "ក្រុមបណ្ដុះបណ្ដាលរបស់ ODC"}))
    upload(slides["id"], "leadership-slides.pdf",
           demo_pdf(SLIDES_TITLE["en"], "Slides.", odc["title"]),
           format="PDF", language="both", name_translated={"en": "Slides", "km": ""})

    catalogue = Catalogue(odc=odc, cso=cso, guide=guide, video=video, slides=slides)
    if with_hidden:
        catalogue.hidden = hidden_records(cso)
    return catalogue


def hidden_records(cso: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A private record, a draft, a deleted one and a contribution waiting
    for review."""
    site = LocalCKAN()
    hidden = {
        "private": site.action.package_create(**learning_resource(
            cso, "internal-notes", private=True)),
        "draft": site.action.package_create(**learning_resource(
            cso, "half-written", state="draft")),
        "deleted": site.action.package_create(**learning_resource(cso, "withdrawn")),
    }
    site.action.package_delete(id=hidden["deleted"]["id"])
    contributor = factories.User()
    site.action.organization_member_create(id=cso["id"], username=contributor["name"],
                                           role="editor")
    me = LocalCKAN(username=contributor["name"])
    pending = me.action.package_create(**learning_resource(
        cso, "waiting-for-review", license_id="CC-BY-4.0",
        resources=[{"url": "https://example.org/waiting"}]))
    me.action.learning_submit(id=pending["id"], accept_terms=True)
    hidden["pending"] = pending
    return hidden


@pytest.fixture
def catalogue(clean_db, with_plugins, themes_created) -> Catalogue:
    return build_catalogue()


@pytest.fixture(scope="class")
def shared_catalogue(reset_db) -> Catalogue:
    """The catalogue, built once for a class whose tests only read it (a build
    takes seconds: every test building its own made this folder take minutes).

    Built with the plugins of ``ckan.plugins`` loaded for the occasion, as
    ``with_plugins`` loads them for each test, and without mail."""
    import ckan.plugins as p
    from ckan.common import config

    reset_db()
    notify = config.get("ckanext.learning.review.notify")
    config["ckanext.learning.review.notify"] = False
    p.load_all()
    try:
        create_themes()
        return build_catalogue()
    finally:
        p.unload_all()
        config["ckanext.learning.review.notify"] = notify


def graph(body: str | bytes, fmt: str = "turtle") -> Graph:
    return Graph().parse(data=body, format=fmt)


def catalogue_config() -> list[pytest.MarkDecorator]:
    """``ckan_config`` marks for :data:`CATALOGUE_CONFIG`."""
    return [pytest.mark.ckan_config(key, value) for key, value in CATALOGUE_CONFIG.items()]


def json_ld_scripts(html: str) -> list[Graph]:
    """The JSON-LD ``<script>`` blocks of a page, parsed."""
    found = []
    rest = html
    opening = '<script type="application/ld+json">'
    while opening in rest:
        rest = rest.split(opening, 1)[1]
        body, rest = rest.split("</script>", 1)
        found.append(Graph().parse(data=body, format="json-ld"))
    return found
