"""Suggestions as you type, in a real browser: the combobox on the search
box proposes a record from two Khmer characters, and the keyboard opens it."""
from __future__ import annotations

import pytest
from ckanapi import LocalCKAN

from ckanext.learning.tests.resources import learning_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_two_khmer_characters_and_the_keyboard_open_a_record(live_server, new_page, cso):
    LocalCKAN().action.package_create(**learning_resource(
        cso, "mangrove-guide", private=False,
        title_translated={"en": "Protecting mangroves", "km": "ការពារព្រៃកោងកាង"}))
    page = new_page()
    page.goto(live_server("/km/dataset/"))
    box = page.locator("input[role='combobox']").first
    box.click()
    box.press_sequentially("កោ", delay=80)
    option = page.get_by_role("option", name="ការពារព្រៃកោងកាង", exact=False)
    option.wait_for(timeout=10_000)
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/mangrove-guide", timeout=10_000)
    assert "ការពារព្រៃកោងកាង" in page.locator("h1").first.inner_text()
