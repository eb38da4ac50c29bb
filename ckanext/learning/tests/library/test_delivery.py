"""How pages and assets travel (library/delivery.py): compressed by the
app, files and exports left alone; webassets cached for good."""
from __future__ import annotations

import gzip
import re
import zlib

import brotli
import pytest
from ckan.tests import factories, helpers

from ckanext.learning.library.delivery import ASSET_MAX_AGE, STATIC_MAX_AGE
from ckanext.learning.tests.workflow.test_files_wiring import samples, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _stylesheet(app) -> str:
    """The URL of the page's main stylesheet (a webasset, sent as a file)."""
    page = app.get("/").body
    return re.search(r'href="(/webassets/base/[^"]+\.css)"', page).group(1)


def test_a_page_is_brotli_for_browsers_that_take_it(app):
    plain = app.get("/")
    assert "Content-Encoding" not in plain.headers  # asked for nothing
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = app.get("/", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed.headers["Content-Encoding"] == "br"
    page = brotli.decompress(packed.bytes).decode()
    assert "<html" in page
    assert len(packed.bytes) < len(page.encode()) / 3


def test_gzip_otherwise(app):
    packed = app.get("/about", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(packed.bytes).decode()


def test_a_webasset_is_compressed_and_revalidated(app):
    url = _stylesheet(app)
    plain = app.get(url).bytes
    packed = app.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.bytes) == plain
    assert len(packed.bytes) < len(plain) / 4
    deflated = app.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert deflated.headers["Content-Encoding"] == "deflate"  # streamed: no gzip
    assert zlib.decompress(deflated.bytes) == plain
    # the browser's If-None-Match carries the compressed ETag: not the file again
    again = app.get(url, headers={"Accept-Encoding": "br",
                                  "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    assert again.bytes == b""


def test_a_download_is_sent_as_uploaded(app):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"])
    pdf = samples.pdf()
    resource = helpers.call_action("resource_create", package_id=dataset["id"],
                                   upload=upload("handbook.pdf", pdf))
    got = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/handbook.pdf",
                  headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in got.headers
    assert got.bytes == pdf


@pytest.mark.ckan_config("ckanext.learning.web.compress", False)
def test_off_leaves_it_to_a_proxy(app):
    got = app.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in got.headers
    assert "<html" in got.body


def test_webassets_and_public_files_are_kept_by_the_browser_pages_are_not(app):
    url = _stylesheet(app)
    asset = app.get(url, headers={"Accept-Encoding": "br"}).headers["Cache-Control"]
    assert f"max-age={ASSET_MAX_AGE}" in asset and "immutable" in asset
    assert "must-revalidate" not in asset and "no-cache" not in asset
    icon = app.get("/base/images/placeholder-user.png").headers["Cache-Control"]
    assert f"max-age={STATIC_MAX_AGE}" in icon and "immutable" not in icon  # unversioned
    page = app.get("/").headers["Cache-Control"]
    assert "max-age=" not in page or "max-age=0" in page


@pytest.mark.ckan_config("ckan.webassets.debug", True)
def test_unversioned_webassets_are_not(app):
    page = app.get("/").body
    url = re.search(r'href="(/webassets/[^"]+\.css[^"]*)"', page).group(1)
    assert "immutable" not in app.get(url).headers["Cache-Control"]
