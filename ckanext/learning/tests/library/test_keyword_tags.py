"""Keywords in both languages are core tags too (library/keyword_tags.py)."""
from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.learning.library import keyword_tags
from ckanext.learning.tests.resources import learning_resource


def test_tag_names_khmer_first_each_once():
    assert keyword_tags.tag_names({"en": ["forest", "patrol", "forest"],
                                   "km": ["ព្រៃឈើ", " ល្បាត "], "fr": ["forêt"]}) == [
        "ព្រៃឈើ", "ល្បាត", "forest", "patrol", "forêt"]
    assert keyword_tags.tag_names({"en": "single"}) == ["single"]
    assert keyword_tags.tag_names({"en": ["", "x" * 101]}) == []


def test_from_dataset_reads_json_and_extras():
    assert keyword_tags.from_dataset({"keywords": '{"en": ["a"]}'}) == {"en": ["a"]}
    assert keyword_tags.from_dataset({"extras": [{"key": "keywords",
                                                  "value": '{"km": ["ក"]}'}]}) == {"km": ["ក"]}
    assert keyword_tags.from_dataset({}) is None
    assert keyword_tags.from_dataset({"keywords": "not json"}) is None


def _tags(name):
    return sorted(t["name"] for t in helpers.call_action("package_show", id=name)["tags"])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "themes_created")
def test_keywords_become_tags_and_follow_edits(org):
    helpers.call_action("package_create", **learning_resource(
        org, keywords={"en": ["forest", "patrol"], "km": ["ព្រៃឈើ"]}))
    assert _tags("forest-patrol-handbook") == sorted(["forest", "patrol", "ព្រៃឈើ"])
    helpers.call_action("package_patch", id="forest-patrol-handbook",
                        keywords={"en": ["forest"], "km": ["ព្រៃឈើ", "សហគមន៍"]})
    assert _tags("forest-patrol-handbook") == sorted(["forest", "ព្រៃឈើ", "សហគមន៍"])
    # core's tag list, tag search and facet see them, in both scripts
    assert "ព្រៃឈើ" in helpers.call_action("tag_list")
    found = helpers.call_action("package_search", fq='tags:"សហគមន៍"',
                                include_private=True)
    assert [p["name"] for p in found["results"]] == ["forest-patrol-handbook"]
    facet = helpers.call_action("package_search", **{"facet.field": '["tags"]',
                                                     "include_private": True})
    assert {"forest", "ព្រៃឈើ", "សហគមន៍"} <= set(facet["facets"]["tags"])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "themes_created")
def test_an_unpublished_records_keywords_are_no_tags_until_published(org):
    """Core's tag_list ignores visibility: a draft's keywords stay out of it."""
    helpers.call_action("package_create", **learning_resource(
        org, private=True, keywords={"en": ["secret-keyword"], "km": ["ពាក្យសម្ងាត់"]}))
    assert _tags("forest-patrol-handbook") == []
    assert "secret-keyword" not in helpers.call_action("tag_list")
    helpers.call_action("package_patch", id="forest-patrol-handbook", private=False)
    assert _tags("forest-patrol-handbook") == ["secret-keyword", "ពាក្យសម្ងាត់"]
    helpers.call_action("package_patch", id="forest-patrol-handbook", private=True)
    assert _tags("forest-patrol-handbook") == []
