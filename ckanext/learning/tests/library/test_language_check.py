"""No English in the Khmer UI, no Khmer in the English UI.

The demo portal (``ckan learning init``: themes, CSOs, thirty resources,
a contributor's submissions) crawled as a visitor, a contributor and a
reviewer: home, the resource list, a Khmer and an English search, themes,
organisations, a resource with a PDF and one with a video and their file
pages, Contribute, the new-resource form (empty, and submitted empty),
About, the contributor's submissions and the review queue.

Every text run in the other script is listed (``language_check``), except
data values that exist in that language only (an English-only title, a
user's name, a file name) and the short list of names below.  The per-page
counts are printed; the target is 0 on every page.
"""
from __future__ import annotations

import collections
from typing import Any
from urllib.parse import quote, unquote

import ckan.model as model
import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN

from ckanext.learning.library import demo
from ckanext.learning.tests.library.language_check import runs
from ckanext.learning.themes.catalogue import create_themes

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db"),
    pytest.mark.ckan_config("ckanext.learning.review.notify", False),
    pytest.mark.ckan_config("ckan.site_title", "Learning Platform"),
    pytest.mark.ckan_config(
        "ckan.site_description",
        "Open Development Cambodia's Khmer and English library of CSO learning resources"),
]

#: Names written the same in both languages, reviewed one by one: the
#: acronyms of the organisations behind the platform (their full names are
#: translated), licence publishers, brands, file formats, identifiers.
ALLOWED = (
    "ODC", "CSS", "USAID", "FHI", "ICNL",            # About and credits
    "Creative Commons", "Open Data Commons", "CC0",  # licence names
    "YouTube", "Vimeo", "Facebook", "X",             # video sites, sharing links
    "PDF", "CSV", "JSON", "BibTeX", "RIS",           # file and citation formats
    "EndNote", "Zotero", "Mendeley",                 # reference managers (cite box)
    "URL", "ISBN", "ISSN",                           # field labels of the schema
)

ROLES = ("visitor", "contributor", "reviewer")


@pytest.fixture
def portal():
    """The demo portal, and one reviewer who is an admin of ODC."""
    create_themes()
    demo.create_demo_admin("demo-admin-pass-1")
    demo.create_demo_content()
    demo.create_demo_submissions("demo-contrib-pass-1")
    reviewer = factories.User(name="odc-reviewer", fullname="Chan Dara")
    LocalCKAN().action.organization_member_create(
        id="odc", username=reviewer["name"], role="admin")
    site = LocalCKAN()
    pdf = site.action.package_show(id="community-fisheries-management-guide")
    # the PDF one is the contributor's organisation's, the video ODC's: each
    # editor sees the editing parts of one of them
    odc = site.action.organization_show(id="odc")
    video = next(p for p in site.action.package_search(
        fq="resource_type:video", rows=50)["results"]
        if p["owner_org"] == odc["id"] and any("youtube" in r["url"] for r in p["resources"]))
    pages = [
        "/", "/dataset/", "/dataset/?q=" + quote("ព្រៃសហគមន៍"), "/dataset/?q=forest",
        "/group/", "/group/environment-nrm", "/organization/",
        "/organization/tonle-forest-alliance",
        f"/dataset/{pdf['name']}", f"/dataset/{video['name']}",
        f"/dataset/{pdf['name']}/resource/{pdf['resources'][0]['id']}",
        f"/dataset/{video['name']}/resource/{video['resources'][0]['id']}",
        "/contribute", "/learning-resource/new", "POST /learning-resource/new",
        "/about", "/learning/submissions", "/learning/review",
    ]
    tokens = {role: factories.APIToken(user=name)["token"]
              for role, name in (("contributor", "sokha"), ("reviewer", "odc-reviewer"))}
    return {"pages": pages, "tokens": tokens}


def data_values(lang: str) -> list[str]:
    """What the portal's users wrote, where it has no version in ``lang``:
    those texts are shown as written."""
    other = "en" if lang == "km" else "km"
    values: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value and set(value) <= {"en", "km"}:
                if not value.get(lang):
                    walk(value.get(other))
                return
            for key, item in value.items():
                if f"{key}_translated" in value or key in ("organization", "groups"):
                    continue  # core's copy of a multilingual field; organisations
                    # and themes are judged on their own names, below
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            values.append(value)

    site = LocalCKAN()
    found = site.action.package_search(rows=1000, include_private=True,
                                       include_drafts=True)["results"]
    walk(found)
    for package in found:
        for event in site.action.learning_review_history(id=package["id"])["events"]:
            values.append(event.get("comment") or "")
    for org in site.action.organization_list(all_fields=True, include_extras=True):
        titles = org.get("title_translated") or {}
        if not titles.get(lang):
            values += [org["title"], org.get("description") or ""]
    for user in model.Session.query(model.User):
        values += [user.name, user.fullname or "", user.email or ""]
    return values


def crawl(app, portal, lang: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    prefix = "/km" if lang == "km" else ""
    # the searches' own words are shown back as typed
    excepted = data_values(lang) + [unquote(page.partition("q=")[2])
                                    for page in portal["pages"]]
    found = {}
    for role in ROLES:
        headers = {"Authorization": portal["tokens"][role]} if role in portal["tokens"] else {}
        for page in portal["pages"]:
            if page.startswith("POST "):
                response = app.post(prefix + page[5:], headers=headers, data={
                    "title_translated-km": "", "title_translated-en": "",
                    "notes_translated-km": "", "notes_translated-en": "", "name": "",
                    "save": "continue", "_ckan_phase": "dataset_new_1"})
            else:
                response = app.get(prefix + page, headers=headers)
            assert response.status_code in (200, 403), (role, page, response.status_code)
            found[role, page] = runs(response.body, lang, excepted, ALLOWED)
    return found


def report(found, lang: str) -> str:
    lines = [f"{'ENGLISH IN THE KHMER UI' if lang == 'km' else 'KHMER IN THE ENGLISH UI'}"
             " (runs per page)", f"{'page':58} " + " ".join(f"{r:>11}" for r in ROLES)]
    pages = list(dict.fromkeys(page for _role, page in found))
    for page in pages:
        lines.append(f"{page[:58]:58} " + " ".join(
            f"{len(found[role, page]):>11}" for role in ROLES))
    common = collections.Counter(run for runs_ in found.values() for _w, run in runs_)
    if common:
        lines.append("most common: " + "; ".join(f"{run!r} x{n}"
                                                 for run, n in common.most_common(15)))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["km", "en"])
def test_every_page_speaks_one_language(app, portal, lang, capsys):
    found = crawl(app, portal, lang)
    with capsys.disabled():
        print("\n" + report(found, lang))
    left = {f"{role} {page}": sorted(set(runs_)) for (role, page), runs_ in found.items()
            if runs_}
    assert not left, "\n".join(f"{page}: {runs_}" for page, runs_ in left.items())


def test_the_checker_sees_english(app):
    """The checker finds what it must: text, titles and screen-reader labels,
    not what is marked as English or hidden."""
    html = """<html><head><title>ទំព័រ - Learning-Resource</title></head><body>
      <a aria-label="Search datasets by groups: ប្រធានបទ">ប្រធានបទ</a>
      <p>ភាសារបស់ឯកសារ: Select at least one</p>
      <span lang="en">English</span><span class="d-none">hidden</span>
      <script>var x = "code";</script><img alt="Gravatar">
      <p>Young Voices Media Centre · PDF</p></body></html>"""
    found = [run for _where, run in runs(html, "km", ["Young Voices Media Centre"],
                                         ALLOWED)]
    assert found == ["Learning-Resource", "Search datasets by groups",
                     "Select at least one", "Gravatar"]
    assert [run for _w, run in runs("<p>Title ប្រធានបទ</p>", "en")] == ["ប្រធានបទ"]
