"""Hostile and malformed input to the search and autocomplete APIs: each is
answered 409 (or 400) with a short message, quickly, never 500, and the
message names no SQL, no PostgreSQL error and no permission filter."""
from __future__ import annotations

import time

import pytest

#: Well inside what any of these may take (they are refused before any work).
BOUND_SECONDS = 2.0
NESTED = "(" * 1000 + "water" + ")" * 1000
SQL_WORDS = ("SELECT", "WHERE", "tsquery", "psycopg2", "LINE 1", "permission_labels",
             "capacity:")

SEARCH_INPUTS = {
    "1,000 nested parentheses": {"q": NESTED},
    "date maths out of range": {"q": "metadata_modified:[NOW-99999999999YEARS TO *]"},
    "dismax with mm=abc": {"q": "water", "defType": "dismax", "mm": "abc"},
    "a NUL byte in q": {"q": "wat\x00er"},
    "a NUL byte in fq": {"fq": "tags:wat\x00er"},
    "a 100 KB q": {"q": "water " * 17_000},
    "30 KB of short mixed Khmer and Latin terms": {"q": "ទឹក a " * 6_000},
    "too many terms": {"q": " OR ".join(f"w{i}" for i in range(600))},
    "a huge fq": {"fq": "tags:(" + " OR ".join(f"t{i}" for i in range(3000)) + ")"},
    "rows not a number": {"q": "water", "rows": "many"},
}


def _timed(call):
    began = time.perf_counter()
    resp = call()
    return resp, time.perf_counter() - began


def _refused_politely(resp, seconds):
    assert resp.status_code in (400, 409), (resp.status_code, resp.body[:500])
    assert seconds < BOUND_SECONDS, seconds
    body = resp.json
    assert body["success"] is False
    text = str(body["error"])
    for word in SQL_WORDS:
        assert word not in text, text
    assert len(text) < 600, text


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestSearchInput:
    @pytest.mark.parametrize("params", SEARCH_INPUTS.values(), ids=SEARCH_INPUTS.keys())
    def test_refused_with_a_message_in_bounded_time(self, app, params):
        resp, seconds = _timed(lambda: app.get("/api/3/action/package_search",
                                               query_string=params))
        _refused_politely(resp, seconds)

    def test_a_long_ordinary_query_still_works(self, app):
        words = " ".join(["ទឹក", "water", "forest", "ព្រៃឈើ"] * 20)
        resp = app.get("/api/3/action/package_search", query_string={"q": words})
        assert resp.status_code == 200, resp.body[:300]

    def test_the_search_page_answers_in_words_not_a_500(self, app):
        resp = app.get("/dataset/", query_string={"q": NESTED})
        assert resp.status_code in (200, 400, 409), resp.status_code
        assert "Traceback" not in resp.body


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestAutocompleteInput:
    @pytest.mark.parametrize("url", [
        "/api/3/action/package_autocomplete?q=wat%00er",
        "/api/3/action/format_autocomplete?q=pdf&limit=x",
        "/api/3/action/tag_autocomplete?q=wat%00er",
        "/api/3/action/user_autocomplete?q=wat%00er",
        "/api/3/action/group_autocomplete?q=wat%00er",
        "/api/3/action/organization_autocomplete?q=wat%00er",
        "/api/3/action/format_autocomplete?q=pd%00f",
    ])
    def test_action_refused_politely(self, app, url):
        resp, seconds = _timed(lambda: app.get(url))
        _refused_politely(resp, seconds)

    @pytest.mark.parametrize("url", [
        "/api/2/util/dataset/autocomplete?incomplete=wat%00er",
        "/api/2/util/tag/autocomplete?incomplete=wat%00er",
        "/api/2/util/resource/format_autocomplete?incomplete=pd%00f",
    ])
    def test_util_api_never_500(self, app, url):
        resp = app.get(url)
        assert resp.status_code in (200, 400, 409), (resp.status_code, resp.body[:300])
