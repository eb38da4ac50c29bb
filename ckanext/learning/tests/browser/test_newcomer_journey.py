"""A newcomer's whole journey, every step through the pages as a person takes
it: sign up from Contribute (Khmer UI), ask to join a CSO, that CSO's admin
accepts, the newcomer adds a bilingual resource with a PDF uploaded through
the file input and submits it, a reviewer approves it, and a visitor finds
it by a Khmer word of its summary, sees the PDF previewed and downloads it.

The preview follows the media pages' contract: the element holding it carries
``data-learning-preview="pdf"`` and gets ``data-rendered="true"`` once the
first page is drawn."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ckan.tests import factories
from ckanapi import LocalCKAN
from playwright.sync_api import expect

from ckanext.learning.security import login, throttle
from ckanext.learning.tests.documents.samples import khmer_pdf

from .conftest import PASSWORD, fill_first_stage, log_in
from .test_contribution_flow import flash, km

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

NEWCOMER = {"name": "sokha-chan", "fullname": "សុខា ចាន់",
            "email": "sokha@cso.example.org"}
TITLE_EN = "Protecting mangroves with fishing communities"
TITLE_KM = "ការការពារព្រៃកោងកាងជាមួយសហគមន៍នេសាទ"
SUMMARY_EN = "A guide for committees that replant mangroves along the coast."
SUMMARY_KM = "សៀវភៅណែនាំនេះជួយគណៈកម្មការដាំព្រៃកោងកាងឡើងវិញនៅមាត់សមុទ្រ។"
#: in the Khmer summary only (not the title, not the PDF)
KHMER_WORD = "សមុទ្រ"
NAME = "protecting-mangroves"
FILE_NAME = "សៀវភៅណែនាំ-កោងកាង.pdf"
PREVIEW = "[data-learning-preview='pdf']"
PREVIEW_TIMEOUT_MS = 10_000


@pytest.fixture
def cso(themes_created):
    """The CSO, without the factory's picture on an outside host."""
    return factories.Organization(name="tonle-forest-alliance", image_url="",
                                  title="Tonle Forest Alliance")


@pytest.fixture
def odc(themes_created):
    return factories.Organization(name="odc", image_url="",
                                  title="Open Development Cambodia")


@pytest.fixture
def signups_allowed():
    """This browser's address starts with no sign-up counted (the counter
    lives in Redis, across runs)."""
    throttle.clear(login.SIGNUP, "127.0.0.1")
    yield
    throttle.clear(login.SIGNUP, "127.0.0.1")


@pytest.fixture
def cso_admin(cso):
    user = factories.User(password=PASSWORD, image_url="")
    LocalCKAN().action.organization_member_create(
        id=cso["id"], username=user["name"], role="admin")
    return user


def test_newcomer_to_published_resource(live_server, new_page, cso, cso_admin,
                                        reviewer, signups_allowed, tmp_path):
    pdf = khmer_pdf(pages=2)

    # ------------------------------------------------ sign up, in Khmer
    newcomer = new_page()
    newcomer.goto(live_server("/km/contribute"))
    assert newcomer.locator("html").get_attribute("lang") == "km"
    with newcomer.expect_navigation():
        newcomer.locator("#content a[href*='/user/register']").click()
    form = newcomer.locator("#user-register-form")
    form.locator("#field-username").fill(NEWCOMER["name"])
    form.locator("#field-fullname").fill(NEWCOMER["fullname"])
    form.locator("#field-email").fill(NEWCOMER["email"])
    form.locator("#field-password").fill(PASSWORD)
    form.locator("#field-confirm-password").fill(PASSWORD)
    # the robots' trap is out of sight and stays empty
    expect(form.locator("#field-homepage")).not_to_be_in_viewport()
    with newcomer.expect_navigation():
        form.locator("button[name=save]").click()
    # back on Contribute, logged in, still in Khmer
    assert newcomer.url == live_server("/km/contribute"), (
        newcomer.url, form.locator(".error-explanation").all_inner_texts())
    assert NEWCOMER["fullname"] in newcomer.locator(".account-masthead").inner_text()
    assert km("You are not a contributor of any organisation yet. Ask to join "
              "yours: its admins decide.") in newcomer.locator("#content").inner_text()

    # ------------------------------------------------ ask to join the CSO
    join = newcomer.locator("form.learning-join")
    join.locator("#join-organization").select_option(cso["name"])
    join.locator("#join-message").fill("ខ្ញុំជាមន្ត្រីកម្មវិធី / I am a programme officer")
    with newcomer.expect_navigation():
        join.locator("button[type=submit]").click()
    assert km("Your request was sent to the organisation's admins.") in flash(newcomer)
    assert km("waiting for its admins") in newcomer.locator("#content").inner_text()
    # not a contributor yet: no form to add a resource
    assert newcomer.locator("a[href*='/learning-resource/new']").count() == 0

    # ------------------------------------------------ the CSO's admin accepts
    admin = new_page()
    log_in(admin, live_server, cso_admin)
    admin.goto(live_server("/contribute"))
    with admin.expect_navigation():
        admin.locator("a[href$='/learning/membership']").click()
    card = admin.locator("li.card").filter(has_text=NEWCOMER["name"])
    assert card.count() == 1
    assert "I am a programme officer" in card.inner_text()
    with admin.expect_navigation():
        card.get_by_role("button", name="Accept as editor").click()
    assert "Decision saved." in flash(admin)
    assert admin.locator("li.card").filter(has_text=NEWCOMER["name"]).count() == 0

    # ------------------------------------------------ the newcomer contributes
    newcomer.goto(live_server("/km/contribute"))
    with newcomer.expect_navigation():
        newcomer.locator(f"a[href*='/learning-resource/new?group={cso['id']}']").click()
    assert "/km/learning-resource/new" in newcomer.url
    fill_first_stage(newcomer, {"km": TITLE_KM, "en": TITLE_EN},
                     {"km": SUMMARY_KM, "en": SUMMARY_EN}, NAME, "toolkit",
                     "environment-nrm")
    with newcomer.expect_navigation():
        newcomer.click("#dataset-edit button[name=save]")
    assert newcomer.locator("#dataset-edit").count() == 0, flash(newcomer) + " ".join(
        newcomer.locator(".error-explanation").all_inner_texts())

    # stage 2: the PDF, chosen with the Upload button's file chooser
    with newcomer.expect_file_chooser() as chooser:
        newcomer.click("#resource-upload-button")
    chooser.value.set_files(files=[{"name": FILE_NAME, "mimeType": "application/pdf",
                                    "buffer": pdf}])
    newcomer.fill("#field-name_translated-km", "សៀវភៅណែនាំ (PDF)")
    newcomer.fill("#field-name_translated-en", "The guide (PDF)")
    with newcomer.expect_navigation():
        newcomer.click("#resource-edit button[name=save][value=go-metadata]")
    assert newcomer.url == live_server(f"/km/learning-resource/{NAME}"), (
        newcomer.url, flash(newcomer),
        newcomer.locator(".error-explanation").all_inner_texts())
    assert TITLE_KM in newcomer.locator("h1").first.inner_text()
    assert live_server.anonymous_status(f"/learning-resource/{NAME}") in (403, 404)

    # submit, with the terms
    panel = newcomer.locator("section.learning-review")
    panel.get_by_label(km("I accept the terms of contribution")).check()
    with newcomer.expect_navigation():
        panel.get_by_role("button", name=km("Submit for review")).click()
    assert km("Submitted: the reviewers have been told.") in flash(newcomer)
    assert panel.locator(".learning-status-pending").is_visible()

    # ------------------------------------------------ a reviewer approves
    review = new_page()
    log_in(review, live_server, reviewer)
    review.goto(live_server("/learning/review"))
    card = review.locator(".learning-queue li.card").filter(has_text=TITLE_EN)
    assert card.count() == 1
    with review.expect_navigation():
        card.get_by_role("button", name="Approve and publish").click()
    assert "Decision saved." in flash(review)
    assert live_server.anonymous_status(f"/learning-resource/{NAME}") == 200

    # ------------------------------------------------ a visitor, in Khmer
    visitor = new_page()
    visitor.goto(live_server("/km/"))
    search = visitor.locator("form.learning-hero-search")
    search.locator("input[name=q]").fill(KHMER_WORD)
    with visitor.expect_navigation():
        search.locator("input[name=q]").press("Enter")
    assert "/km/dataset/" in visitor.url
    hit = visitor.locator(".dataset-heading a").filter(has_text=TITLE_KM)
    expect(hit).to_have_count(1)
    with visitor.expect_navigation():
        hit.click()
    assert visitor.url == live_server(f"/km/learning-resource/{NAME}")
    assert TITLE_KM in visitor.locator("h1").first.inner_text()

    # the PDF previewed: on the resource's page, or else on its file's page
    record_url = visitor.url
    if visitor.locator(PREVIEW).count() == 0:
        with visitor.expect_navigation():
            visitor.locator(f"a[href*='/learning-resource/{NAME}/resource/']").first.click()
    try:
        expect(visitor.locator(PREVIEW).first).to_have_attribute(
            "data-rendered", "true", timeout=PREVIEW_TIMEOUT_MS)
        preview_failed = None
    except AssertionError as error:  # reported at the end: the download is checked too
        preview_failed = error

    # and downloaded from the file's page: the same bytes, the Khmer name kept
    if visitor.url == record_url:
        with visitor.expect_navigation():
            visitor.locator(f"a[href*='/learning-resource/{NAME}/resource/']").first.click()
    button = visitor.locator("a.btn.resource-url-analytics")
    with visitor.expect_download() as download_info:
        button.click()
    download = download_info.value
    saved = Path(tmp_path) / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == pdf
    assert download.suggested_filename == FILE_NAME, download.suggested_filename
    assert re.search(r"/download/", download.url)
    if preview_failed is not None:
        raise preview_failed
