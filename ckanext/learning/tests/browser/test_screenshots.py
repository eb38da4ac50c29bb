"""Full-page screenshots of the pages people meet (home, a search, a theme,
a resource with a PDF, the new-resource form), in Khmer and English, on a
laptop (1366 px) and a phone (390 px), saved by every run for people to
look at (``conftest.SCREENS``, printed at the end of the run).  Each shot is
also checked: the page is in its language, and as wide as the window (a
full-page shot of a page that scrolls sideways is wider)."""
from __future__ import annotations

import io
import struct

import pytest
from ckan.tests import helpers
from ckanapi import LocalCKAN
from werkzeug.datastructures import FileStorage

from ckanext.learning.tests.documents.samples import khmer_pdf
from ckanext.learning.tests.workflow.conftest import resource_dict

from .conftest import SAVED, SCREENS, log_in
from .test_newcomer_journey import (  # noqa: F401 (fixtures)
    FILE_NAME,
    KHMER_WORD,
    SUMMARY_EN,
    SUMMARY_KM,
    TITLE_EN,
    TITLE_KM,
    cso,
    odc,
)

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

WIDTHS = {1366: 768, 390: 844}
NAME = "protecting-mangroves"


@pytest.fixture
def library(cso, contributor, reviewer):  # noqa: F811
    """Two published resources: one with a PDF uploaded, one with a link."""
    editor = LocalCKAN(username=contributor["name"])
    record = editor.action.package_create(**resource_dict(
        cso, NAME, resources=[],
        title_translated={"en": TITLE_EN, "km": TITLE_KM},
        notes_translated={"en": SUMMARY_EN, "km": SUMMARY_KM}))
    # as the form sends it (ckanapi would take the FileStorage for a file to post)
    helpers.call_action(
        "resource_create", {"user": contributor["name"]}, package_id=record["id"],
        name_translated={"km": "សៀវភៅណែនាំ (PDF)", "en": "The guide (PDF)"},
        upload=FileStorage(io.BytesIO(khmer_pdf(pages=2)), filename=FILE_NAME))
    other = editor.action.package_create(**resource_dict(cso))
    for dataset in (record, other):
        editor.action.learning_submit(id=dataset["id"], accept_terms=True)
        LocalCKAN(username=reviewer["name"]).action.learning_review(
            id=dataset["id"], decision="approve")
    return record


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshots(live_server, new_page, library, contributor, cso):  # noqa: F811
    pages = {
        "home": {"en": "/", "km": "/km/"},
        "search": {"en": "/dataset/?q=mangroves", "km": f"/km/dataset/?q={KHMER_WORD}"},
        "theme": {"en": "/group/environment-nrm", "km": "/km/group/environment-nrm"},
        "resource": {"en": f"/learning-resource/{NAME}", "km": f"/km/learning-resource/{NAME}"},
        "form": {"en": f"/learning-resource/new?group={cso['id']}",
                 "km": f"/km/learning-resource/new?group={cso['id']}"},
    }
    SCREENS.mkdir(parents=True, exist_ok=True)
    visitor = new_page()
    editor = log_in(new_page(), live_server, contributor)
    wide = {}
    for kind, paths in pages.items():
        page = editor if kind == "form" else visitor
        for lang, path in paths.items():
            for width, height in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(live_server(path))
                page.evaluate("document.fonts.ready.then(() => true)")
                assert page.locator("html").get_attribute("lang") == lang, path
                shot = SCREENS / f"{kind}-{lang}-{width}.png"
                data = page.screenshot(path=str(shot), full_page=True)
                SAVED.append(shot)
                if png_size(data)[0] != width:
                    wide[shot.name] = png_size(data)[0]
    assert len(SAVED) >= 20
    assert wide == {}, wide
