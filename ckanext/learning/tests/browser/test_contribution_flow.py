"""The contribution workflow in a real browser: a CSO contributor adds a
learning resource through the scheming form and CKAN's resource stage,
submits it from the review panel, a reviewer approves it from the queue,
and only then can anonymous visitors open it.  And the Khmer UI as a
contributor sees it."""
from __future__ import annotations

import gettext
import re
from importlib import resources

import pytest
from ckanapi import LocalCKAN
from playwright.sync_api import expect

from ckanext.learning.tests.workflow.conftest import resource_dict

from .conftest import fill_first_stage, log_in

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

TITLE_EN = "Community radio training kit"
TITLE_KM = "ឯកសារបណ្ដុះបណ្ដាលវិទ្យុសហគមន៍"
SUMMARY_EN = "Sessions for volunteers who run a community radio."
SUMMARY_KM = "វគ្គសម្រាប់អ្នកស្ម័គ្រចិត្តដែលដំណើរការវិទ្យុសហគមន៍។"
NAME = "community-radio-training-kit"
LINK = "https://media.example.org/community-radio-kit"

KHMER = re.compile(r"[\u1780-\u17ff]")


def km(message: str) -> str:
    """Our Khmer catalogue's translation, which must exist."""
    catalogue = resources.files("ckanext.learning").joinpath("i18n")
    translation = gettext.translation("ckanext-learning", str(catalogue), ["km"])
    translated = translation.gettext(message)
    assert translated != message and KHMER.search(translated), (
        f"no Khmer translation of {message!r}")
    return translated


def flash(page) -> str:
    return " ".join(page.locator(".flash-messages .alert").all_inner_texts())


def test_contributor_submits_reviewer_publishes(live_server, new_page, cso,
                                                contributor, reviewer):
    page = new_page()
    log_in(page, live_server, contributor)

    # /contribute: the button of the contributor's organisation
    page.goto(live_server("/contribute"))
    with page.expect_navigation():
        page.locator(f"a[href*='/learning-resource/new?group={cso['id']}']").click()
    assert "/learning-resource/new" in page.url

    # stage 1: the scheming form, bilingual
    fill_first_stage(page, {"km": TITLE_KM, "en": TITLE_EN},
                     {"km": SUMMARY_KM, "en": SUMMARY_EN}, NAME, "training_material",
                     "journalism")
    assert page.locator("#field-organizations").input_value() == cso["id"]
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")
    assert page.locator("#dataset-edit").count() == 0, flash(page) + " ".join(
        page.locator(".error-explanation").all_inner_texts())

    # stage 2: CKAN's resource stage, a link
    page.click("#resource-link-button")
    page.fill("#field-resource-url", LINK)
    page.fill("#field-name_translated-en", "Training kit (web page)")
    page.fill("#field-name_translated-km", "ឯកសារបណ្ដុះបណ្ដាល (គេហទំព័រ)")
    with page.expect_navigation():
        page.click("#resource-edit button[name=save][value=go-metadata]")
    assert page.url == live_server(f"/learning-resource/{NAME}"), page.url
    assert TITLE_EN in page.locator("h1").first.inner_text()

    # a private draft: visitors get nothing
    assert live_server.anonymous_status(f"/learning-resource/{NAME}") in (403, 404)

    # the review panel: the terms, then submit
    panel = page.locator("section.learning-review")
    submit = panel.get_by_role("button", name="Submit for review")
    # the browser itself refuses to submit without the terms (a required box)
    assert page.locator("#accept-terms").evaluate(
        "box => box.required && !box.form.checkValidity()")
    panel.get_by_label("I accept the terms of contribution").check()
    panel.locator("#submit-comment").fill("Ready for review")
    with page.expect_navigation():
        submit.click()
    assert "Submitted" in flash(page)
    assert panel.locator(".learning-status-pending").is_visible()
    assert panel.get_by_role("button", name="Submit for review").count() == 0
    assert live_server.anonymous_status(f"/learning-resource/{NAME}") in (403, 404)

    # the reviewer: the queue, approve
    review = new_page()
    log_in(review, live_server, reviewer)
    review.goto(live_server("/learning/review"))
    card = review.locator(".learning-queue li.card").filter(has_text=TITLE_EN)
    assert card.count() == 1
    assert "Ready for review" in card.inner_text()
    with review.expect_navigation():
        card.get_by_role("button", name="Approve and publish").click()
    assert review.url == live_server("/learning/review")
    assert "Decision saved" in flash(review)
    assert review.locator(".learning-queue").filter(has_text=TITLE_EN).count() == 0

    # published: visitors see it, in a browser without any login
    assert live_server.anonymous_status(f"/learning-resource/{NAME}") == 200
    visitor = new_page()
    visitor.goto(live_server(f"/learning-resource/{NAME}"))
    assert TITLE_EN in visitor.locator("h1").first.inner_text()
    assert visitor.locator("section.learning-review").count() == 0
    assert visitor.locator(f"a[href='{LINK}']").count() >= 1

    # and the contributor's submissions say so
    page.goto(live_server("/learning/submissions"))
    row = page.locator("table.learning-submissions tr").filter(has_text=TITLE_EN)
    assert row.locator(".learning-status-published").count() == 1


def test_khmer_ui(live_server, new_page, cso, contributor):
    draft = LocalCKAN(username=contributor["name"]).action.package_create(
        **resource_dict(cso))
    page = new_page()
    log_in(page, live_server, contributor, prefix="/km")

    page.goto(live_server("/km/contribute"))
    assert page.locator("html").get_attribute("lang") == "km"
    heading = page.locator("h1").first.inner_text().strip()
    assert heading == km("Share a learning resource")
    assert km("Add a resource for") in page.locator("main, body").first.inner_text()

    page.goto(live_server(f"/km/learning-resource/{draft['name']}"))
    assert page.locator("html").get_attribute("lang") == "km"
    assert draft["title_translated"]["km"] in page.locator("h1").first.inner_text()

    panel = page.locator("section.learning-review")
    text = panel.inner_text()
    for message in ("Review", "Terms of contribution",
                    "I accept the terms of contribution",
                    "Note for the reviewers (optional)", "Submit for review"):
        assert km(message) in text
        assert message not in text
    # no English left, but for ODC's name in the terms
    latin = re.findall(r"[A-Za-z]{2,}", text.replace("Open Development Cambodia", ""))
    assert latin == [], latin
    assert panel.get_by_role("button", name=km("Submit for review")).is_visible()


def test_title_fills_the_url(live_server, new_page, cso, contributor):
    """The URL of a new resource follows its title, as in CKAN's own form:
    the form hides the URL field behind a preview ("URL: …/<learning-resource>
    Edit") that only the title can fill."""
    page = new_page()
    log_in(page, live_server, contributor)
    page.goto(live_server(f"/learning-resource/new?group={cso['id']}"))
    page.locator(".slug-preview").wait_for()  # CKAN's JavaScript modules are up
    assert not page.locator("#field-name").is_visible()  # behind the preview
    page.locator("#field-title_translated-en").press_sequentially(TITLE_EN)
    expect(page.locator("#field-name")).to_have_value(NAME)
    expect(page.locator(".slug-preview")).to_contain_text(NAME)
