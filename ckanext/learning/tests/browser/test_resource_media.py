"""A record's media in a real browser (Chromium through Playwright): the
PDF drawn by PDF.js from the portal itself, the video link that loads
nothing from the video site until the click, the cite box and its files,
and the theme icons named by the API; at 390 px, in Khmer and English."""
from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import bibtexparser
import pytest
from ckan.tests import factories, helpers
from ckanapi import LocalCKAN

from ckanext.learning.tests.documents.samples import khmer_pdf
from ckanext.learning.tests.resources import learning_resource
from ckanext.learning.tests.workflow.test_files_wiring import upload
from ckanext.learning.themes.catalogue import create_themes, themes

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PHONE = {"width": 390, "height": 844}
YOUTUBE = "https://www.youtube.com/watch?v=kF3vQ8pLm2A"


@pytest.fixture
def records(live_server):
    """Themes made once the live server is up (their icons name its
    address), a CSO (with no picture from elsewhere), a record with a
    two-page Khmer PDF and one with a YouTube link."""
    create_themes()
    cso = factories.Organization(name="tonle-forest-alliance", image_url="")
    guide = helpers.call_action("package_create", **learning_resource(
        cso, "patrol-handbook", resource_type="report", marc21_260c="2021"))
    helpers.call_action("resource_create", package_id=guide["id"], name="Handbook",
                        upload=upload("handbook.pdf", khmer_pdf(pages=2)))
    video = helpers.call_action("package_create", **learning_resource(
        cso, "patrol-video", resource_type="video"))
    helpers.call_action("resource_create", package_id=video["id"], url=YOUTUBE,
                        name="Patrol video")
    return {"guide": guide, "video": video}


def _outside(requests, live_server):
    host = urlsplit(live_server.url).netloc
    return [url for url in requests
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host]


def _watched(new_page):
    """A phone-sized page, the requests it makes and the Content-Security-
    Policy violations Chromium reports (they must stay none)."""
    page = new_page()
    page.set_viewport_size(PHONE)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.csp_violations = violations
    return page, requests


@pytest.mark.parametrize("prefix, label", [("/km", "ទំព័រ 1 នៃ 2"), ("", "Page 1 of 2")])
def test_the_pdf_is_drawn_in_the_page(live_server, new_page, records, prefix, label):
    page, requests = _watched(new_page)
    page.goto(live_server(f"{prefix}/dataset/patrol-handbook"))
    box = page.locator('[data-learning-preview="pdf"]')
    page.wait_for_selector('[data-learning-preview="pdf"][data-rendered="true"]')
    assert box.get_attribute("data-pages") == "2"
    assert box.locator("[data-pdf-counter]").inner_text() == label
    canvas = box.locator("canvas")
    # drawn: as wide as the phone allows, and not blank
    width = canvas.evaluate("c => c.getBoundingClientRect().width")
    assert 250 < width <= PHONE["width"]
    inked = canvas.evaluate("""c => { const d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n; }""")
    assert inked > 500
    box.locator("[data-pdf-next]").click()
    page.wait_for_selector('[data-learning-preview="pdf"][data-page="2"]')
    assert box.locator("[data-pdf-next]").is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _outside(requests, live_server) == []
    assert page.csp_violations == []
    assert any("/learning/pdfjs/" in url and "pdf.worker" in url for url in requests)
    # the preview's fetches are no download
    shown = LocalCKAN().action.package_show(id="patrol-handbook")
    assert shown["download_count"] == 0


def test_the_file_page_previews_it_too(live_server, new_page, records):
    page, requests = _watched(new_page)
    resource = LocalCKAN().action.package_show(id="patrol-handbook")["resources"][0]
    page.goto(live_server(f"/km/dataset/patrol-handbook/resource/{resource['id']}"))
    page.wait_for_selector('[data-learning-preview="pdf"][data-rendered="true"]')
    assert _outside(requests, live_server) == []


def test_the_video_site_is_asked_for_nothing_until_the_click(live_server, new_page,
                                                             records):
    page, requests = _watched(new_page)
    page.goto(live_server("/km/dataset/patrol-video"))
    page.wait_for_load_state("networkidle")
    box = page.locator('[data-learning-preview="video-link"]')
    assert box.is_visible()
    assert page.locator("iframe").count() == 0
    assert _outside(requests, live_server) == []  # 0 requests off the portal
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box.get_by_role("button", name="ចាក់វីដេអូនៅទីនេះ").click()
    frame = page.locator("iframe.learning-video-frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith(
        "https://www.youtube-nocookie.com/embed/kF3vQ8pLm2A")
    page.wait_for_timeout(300)
    hosts = {urlsplit(url).netloc for url in _outside(requests, live_server)}
    assert hosts == {"www.youtube-nocookie.com"}  # refused by the test's router
    assert page.csp_violations == []  # the page's policy allows that frame


def test_cite_box_and_its_bibtex_file(live_server, new_page, records):
    page, requests = _watched(new_page)
    page.goto(live_server("/km/dataset/patrol-handbook"))
    text = page.locator('[data-learning-cite="text"]')
    assert text.is_visible()
    assert "(2021)" in text.inner_text() and "[របាយការណ៍]" in text.inner_text()
    page.locator("summary", has_text="BibTeX").click()
    assert page.locator("#learning-cite-bibtex").is_visible()
    with page.expect_download() as download:
        page.locator(".learning-cite-actions a", has_text="BibTeX").click()
    assert download.value.suggested_filename == "patrol-handbook.bib"
    with open(download.value.path(), encoding="utf-8") as f:
        (entry,) = bibtexparser.parse_string(f.read()).entries
    assert entry.fields_dict["title"].value == "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _outside(requests, live_server) == []


def test_theme_icons_named_by_the_api_answer(live_server, new_page, records):
    with urllib.request.urlopen(live_server(
            "/api/3/action/group_list?all_fields=true"), timeout=30) as response:
        listed = json.load(response)["result"]
    assert {g["name"] for g in listed} == {t["name"] for t in themes()}
    for group in listed:
        assert group["image_display_url"].startswith(live_server.url + "/learning/themes/")
        with urllib.request.urlopen(group["image_display_url"], timeout=30) as icon:
            assert icon.status == 200
            assert icon.headers["Content-Type"].startswith("image/svg+xml")
    page, requests = _watched(new_page)
    page.goto(live_server("/km/dataset/patrol-handbook"))
    page.goto(live_server("/km/group/"))
    icons = page.locator("img[src*='/learning/themes/']")
    assert icons.count() == 9
    broken = icons.evaluate_all(
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert broken == []
