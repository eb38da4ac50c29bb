"""The per-worker suggestion keys (suggest/index.py): compact keys that still
answer prefixes longer than a key, and a large index built in the
background while the worker goes on answering."""
from __future__ import annotations

import threading

import pytest

from ckanext.learning.suggest import index
from ckanext.learning.tests.suggest.test_action import library, suggest, titles  # noqa: F401

TITLE_KM = "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"


@pytest.mark.usefixtures("with_plugins", "clean_db", "library")
class TestSuggestIndex:
    def test_a_prefix_longer_than_a_key_is_checked_on_the_whole_title(self):
        assert len("សៀវភៅណែនាំការល្បាត") > index.KEY_LENGTH
        assert titles(suggest(q="សៀវភៅណែនាំការល្បាត", lang="km"), "dataset") == [TITLE_KM]
        # the same first twelve characters, then other words
        assert titles(suggest(q="សៀវភៅណែនាំការអប់រំ", lang="km"), "dataset") == []
        assert titles(suggest(q="community forest patrol h", lang="en"), "dataset") == [
            "Community forest patrol handbook"]

    def test_keys_cost_bytes_not_python_strings(self):
        suggest(q="សៀ", lang="km")
        keys = index.suggest_index().records.keys
        assert keys.dtype.kind == "S" and keys.dtype.itemsize == 3 * index.KEY_LENGTH + 1
        assert list(keys) == sorted(keys)

    def test_a_large_index_is_built_in_the_background(self, monkeypatch):
        monkeypatch.setattr(index, "INLINE_BUILD_ROWS", -2)  # any size is large
        fresh = index.SuggestIndex()
        monkeypatch.setattr(index, "_index", fresh)
        release = threading.Event()
        refresh = index.SuggestIndex._refresh

        def held(self, session):
            if self is not fresh:  # the background build waits for the test
                assert release.wait(30)
            return refresh(self, session)

        monkeypatch.setattr(index.SuggestIndex, "_refresh", held)
        while_building = suggest(q="environ", lang="en") + suggest(q="សៀ", lang="km")
        assert fresh.building()
        # no record yet, but themes already, and no error
        assert titles(while_building, "dataset") == []
        assert "environment-nrm" in [s["name"] for s in while_building if s["type"] == "theme"]
        release.set()
        fresh._builder.join(30)
        assert not fresh.building()
        assert titles(suggest(q="សៀ", lang="km"), "dataset") == [TITLE_KM]
