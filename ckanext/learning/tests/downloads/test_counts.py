"""Download counts kept by the portal (downloads/): what counts as one
download, where the counts show, and "most downloaded"."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.learning.downloads import counting
from ckanext.learning.tests.workflow.test_files_wiring import samples, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _file(org, name, private=False):
    dataset = factories.Dataset(owner_org=org["id"], name=name, private=private)
    resource = helpers.call_action("resource_create", package_id=dataset["id"],
                                   upload=upload("handbook.pdf", samples.pdf()))
    return dataset, resource


def _link(org, name):
    dataset = factories.Dataset(owner_org=org["id"], name=name)
    resource = helpers.call_action("resource_create", package_id=dataset["id"],
                                   url="https://example.org/video", name="Video")
    return dataset, resource


def _download_url(dataset, resource):
    return f"/dataset/{dataset['id']}/resource/{resource['id']}/download/handbook.pdf"


def _counts(dataset):
    shown = helpers.call_action("package_show", id=dataset["id"])
    return shown["download_count"], [r["download_count"] for r in shown["resources"]]


def test_each_download_counts_once(app, org):
    dataset, resource = _file(org, "patrol-handbook")
    assert _counts(dataset) == (0, [0])
    for _ in range(3):
        app.get(_download_url(dataset, resource), status=200)
    assert _counts(dataset) == (3, [3])


def test_ranges_count_as_one_download(app, org):
    dataset, resource = _file(org, "patrol-handbook")
    url = _download_url(dataset, resource)
    first = app.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and len(first.data) == 100
    later = app.get(url, headers={"Range": "bytes=100-199"})
    assert later.status_code == 206
    assert _counts(dataset) == (1, [1])


def test_downloads_are_conditional_and_a_304_does_not_count(app, org):
    dataset, resource = _file(org, "patrol-handbook")
    first = app.get(_download_url(dataset, resource))
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = app.get(_download_url(dataset, resource),
                    headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert _counts(dataset) == (1, [1])


def test_head_requests_and_errors_do_not_count(app, org):
    dataset, resource = _file(org, "patrol-handbook")
    app.flask_app.test_client().head(_download_url(dataset, resource))
    app.get(f"/dataset/{dataset['id']}/resource/not-a-resource/download/x.pdf",
            status=404)
    assert _counts(dataset) == (0, [0])


def test_a_followed_link_counts(app, org):
    dataset, resource = _link(org, "river-video")
    response = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download",
                       follow_redirects=False)
    assert response.status_code == 302
    assert _counts(dataset) == (1, [1])


def test_search_results_show_todays_counts(app, org):
    """The index keeps each record as it was when indexed: the counts of a
    result come from the counts table, for the whole page in one query."""
    dataset, resource = _file(org, "patrol-handbook")
    other, _ = _file(org, "quiet-handbook")
    app.get(_download_url(dataset, resource))
    app.get(_download_url(dataset, resource))
    found = helpers.call_action("package_search", q="*:*", sort="name asc")["results"]
    assert [(r["name"], r["download_count"], [x["download_count"] for x in r["resources"]])
            for r in found] == [("patrol-handbook", 2, [2]), ("quiet-handbook", 0, [0])]


def test_counts_shown_are_never_stored(app, org):
    dataset, resource = _file(org, "patrol-handbook")
    app.get(_download_url(dataset, resource))
    shown = helpers.call_action("package_show", id=dataset["id"])
    shown["download_count"] = 999
    shown["resources"][0]["download_count"] = 999
    helpers.call_action("package_update", **shown)
    assert _counts(dataset) == (1, [1])
    stored = model.Resource.get(resource["id"])
    assert "download_count" not in (stored.extras or {})


def test_most_downloaded_in_order_and_only_what_the_caller_may_see(app, org):
    popular, popular_file = _file(org, "popular-handbook")
    quiet, quiet_file = _file(org, "quiet-handbook")
    hidden, hidden_file = _file(org, "hidden-draft", private=True)
    for dataset, resource, times in ((popular, popular_file, 3), (quiet, quiet_file, 1)):
        for _ in range(times):
            app.get(_download_url(dataset, resource))
    for _ in range(5):  # its editors downloaded the draft
        counting.count_download(hidden_file["id"])
    shown = app.get("/api/3/action/learning_most_downloaded?limit=5").json["result"]
    assert [(p["name"], p["download_count"]) for p in shown] == [
        ("popular-handbook", 3), ("quiet-handbook", 1)]
    assert "Most downloaded" in app.get("/").body
    assert app.get("/api/3/action/learning_most_downloaded?limit=x",
                   status=409).json["error"]["limit"]
