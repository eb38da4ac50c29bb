"""The pages as a phone shows them: nothing scrolls sideways at 390 px, the
language switch is in the header of every page, words are not split
mid-word, theme icons load."""
from __future__ import annotations

import re

import pytest
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

PHONE = {"width": 390, "height": 844}
PAGES = ["/km/", "/km/dataset/", "/km/group/", "/km/group/environment-nrm",
         "/km/organization/", "/km/organization/tonle-forest-alliance",
         "/km/dataset/patrol-handbook", "/km/about", "/km/contribute", "/km/user/login",
         "/", "/dataset/?q=forest", "/group/"]


@pytest.fixture
def library(cso):
    LocalCKAN().action.package_create(**learning_resource(
        cso, "patrol-handbook",
        title_translated={"en": "Internationalisation of community-based "
                                "forest-management responsibilities",
                          "km": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍សម្រាប់គណៈកម្មការ"
                                "ព្រៃសហគមន៍នៅតាមខេត្តភាគខាងជើង"},
        resources=[{"url": "https://www.youtube.com/watch?v=abc"}]))


def test_no_page_scrolls_sideways_on_a_phone(live_server, new_page, library):
    page = new_page()
    page.set_viewport_size(PHONE)
    wide = {}
    for path in PAGES:
        page.goto(live_server(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        # the language switch: in the header, visible without opening a menu
        switch = page.locator("header .learning-lang, .account-masthead .learning-lang")
        assert switch.is_visible(), path
        other = "English" if path.startswith("/km/") else "ខ្មែរ"
        assert switch.get_by_role("link", name=other).is_visible(), path
    assert wide == {}


def test_theme_icons_load(live_server, new_page, library):
    page = new_page()
    for path in ("/km/", "/km/group/", "/km/group/environment-nrm"):
        page.goto(live_server(path))
        icons = page.locator("img[src*='/learning/themes/']")
        assert icons.count() >= 1, path
        broken = icons.evaluate_all(
            "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], path


def test_english_words_are_not_split(live_server, new_page, library):
    """CKAN's word-break: break-all split words anywhere on the cards."""
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_server("/group/"))
    for selector in (".media-heading", ".media-description"):
        style = page.locator(selector).first.evaluate("e => getComputedStyle(e).wordBreak")
        assert style == "normal", selector
    page.goto(live_server("/dataset/"))
    heading = page.locator(".dataset-heading a").first
    # each line of the wrapped title holds whole words (or parts of a
    # hyphenated word, cut after its hyphen)
    words = {part for word in heading.inner_text().split()
             for part in re.findall(r"[^-]+-?", word)}
    lines = heading.evaluate("""a => {
        const range = document.createRange(), text = a.firstChild, lines = [];
        let top = null, line = '';
        for (let i = 0; i < text.length; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const rect = range.getBoundingClientRect();
            if (!rect.height) continue;
            if (top !== null && rect.top > top + 2) { lines.push(line); line = ''; }
            top = rect.top; line += text.data[i];
        }
        lines.push(line); return lines; }""")
    assert len(lines) > 1  # the title does wrap on a phone
    for line in lines:
        for piece in line.split():
            assert all(part in words for part in re.findall(r"[^-]+-?", piece)), (
                piece, lines)


def test_a_record_comes_before_its_side_column_on_a_phone(live_server, new_page, library):
    page = new_page()
    for size, first in ((PHONE, "content"), ({"width": 1366, "height": 900}, "beside")):
        page.set_viewport_size(size)
        page.goto(live_server("/km/dataset/patrol-handbook"))
        content = page.locator(".wrapper > .primary").bounding_box()
        side = page.locator(".wrapper > aside.secondary").bounding_box()
        if first == "content":
            assert content["y"] + content["height"] <= side["y"] + 1
        else:  # a wide screen keeps the side column at the left of the record
            assert side["x"] + side["width"] <= content["x"] + 1
        # the record is named once, by its own heading
        assert page.get_by_role("heading", name="សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍",
                                exact=False).count() == 1


def test_a_file_comes_first_on_a_phone(live_server, new_page, library):
    resource = LocalCKAN().action.package_show(id="patrol-handbook")["resources"][0]
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_server(f"/km/dataset/patrol-handbook/resource/{resource['id']}"))
    tops = [page.locator(selector).bounding_box()["y"] for selector in (
        ".wrapper > .module-resource", ".wrapper > .primary", ".wrapper > aside.secondary")]
    assert tops == sorted(tops)  # the file, its record's details, the side column
