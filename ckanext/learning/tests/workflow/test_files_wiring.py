"""The files rule wired into a running CKAN by LearningPlugin.

Pins the CKAN 2.12 seams: the resource hooks see the FileStorage before
anything is stored, the chained ``package_update`` covers uploads inside a
resources list, and the download endpoints of every dataset type get the
headers.
"""
from __future__ import annotations

import io
import os
from urllib.parse import unquote, urlsplit

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import uploader
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.learning.tests.workflow import samples


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def stored_path(resource_id: str) -> str:
    return uploader.get_resource_uploader({}).get_path(resource_id)


def resource_rows(dataset_id: str) -> int:
    return model.Session.query(model.Resource).filter_by(
        package_id=dataset_id).count()


def storage_files() -> set[str]:
    root = os.path.join(tk.config["ckan.storage_path"], "resources")
    return {os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs}


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUploadWiring:
    def test_refused_upload_stores_nothing(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        before = storage_files()
        with pytest.raises(tk.ValidationError) as caught:
            helpers.call_action("resource_create", package_id=dataset["id"],
                                upload=upload("handbook.pdf", samples.windows_exe()))
        assert "Windows program" in caught.value.error_dict["upload"][0]
        model.Session.rollback()
        assert resource_rows(dataset["id"]) == 0
        assert storage_files() == before

    def test_accepted_upload_is_stored_with_its_content_type(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"], mimetype="text/html",
            upload=upload("handbook.exe", samples.pdf()))
        assert resource["url_type"] == "upload"
        assert resource["mimetype"] == "application/pdf"
        assert resource["url"].endswith("/handbook.exe.pdf")
        with open(stored_path(resource["id"]), "rb") as f:
            assert f.read() == samples.pdf()

    def test_update_with_refused_file_keeps_the_old_one(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"],
            upload=upload("data.csv", samples.csv()))
        with pytest.raises(tk.ValidationError) as caught:
            helpers.call_action("resource_update", id=resource["id"],
                                upload=upload("data.csv", samples.SVG))
        assert "SVG image" in caught.value.error_dict["upload"][0]
        model.Session.rollback()
        with open(stored_path(resource["id"]), "rb") as f:
            assert f.read() == samples.csv()
        assert helpers.call_action(
            "resource_show", id=resource["id"])["mimetype"] == "text/csv"

    def test_package_update_resource_list_is_checked(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        before = storage_files()
        with pytest.raises(tk.ValidationError) as caught:
            helpers.call_action("package_update", id=dataset["id"],
                                name=dataset["name"], resources=[
                                    {"upload": upload("a.zip", samples.jar())}])
        assert "Java program" in caught.value.error_dict["resources"][0]["upload"][0]
        model.Session.rollback()
        assert resource_rows(dataset["id"]) == 0
        assert storage_files() == before

    def test_size_limit(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        with pytest.raises(tk.ValidationError) as caught:
            helpers.call_action(
                "resource_create", package_id=dataset["id"],
                upload=upload("big.pdf", samples.pdf() + b"\x00" * (101 << 20)))
        assert "100 MB" in caught.value.error_dict["upload"][0]

    def test_http_api_refusal(self, app):
        user = factories.UserWithToken()
        own_org = factories.Organization(user=user)
        dataset = factories.Dataset(user=user, owner_org=own_org["id"])
        response = app.post(
            "/api/action/resource_create",
            data={"package_id": dataset["id"],
                  "upload": (io.BytesIO(samples.HTML), "page.pdf")},
            headers={"Authorization": user["token"]}, status=409)
        assert "web page (HTML)" in response.json["error"]["upload"][0]
        assert resource_rows(dataset["id"]) == 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDownloadWiring:
    @pytest.fixture
    def pdf_resource(self, org):
        dataset = factories.Dataset(owner_org=org["id"])
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"],
            upload=upload("handbook.pdf", samples.pdf()))
        return dataset, resource

    @pytest.mark.parametrize("prefix", ["dataset", "learning-resource"])
    def test_pdf_inline_nosniff(self, app, pdf_resource, prefix):
        dataset, resource = pdf_resource
        response = app.get(f"/{prefix}/{dataset['id']}/resource/"
                           f"{resource['id']}/download/handbook.pdf")
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            "inline; filename=handbook.pdf")
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_download_button_saves_the_file(self, app, pdf_resource):
        """Followed in the browser's window (what a click on Download is),
        the PDF is saved; fetched or embedded by a preview, it is shown."""
        dataset, resource = pdf_resource
        url = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/handbook.pdf"
        clicked = app.get(url, headers={"Sec-Fetch-Dest": "document"})
        assert clicked.headers["Content-Disposition"] == "attachment; filename=handbook.pdf"
        for dest in ("empty", "iframe", "embed"):
            embedded = app.get(url, headers={"Sec-Fetch-Dest": dest})
            assert embedded.headers["Content-Disposition"].startswith("inline"), dest

    def test_a_khmer_file_name_is_kept(self, app, org):
        """Core munged every Khmer letter away (``-.pdf``)."""
        dataset = factories.Dataset(owner_org=org["id"])
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"],
            upload=upload("សៀវភៅណែនាំ ព្រៃឈើ.pdf", samples.pdf()))
        shown = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
        for url in (resource["url"], shown["url"]):
            assert unquote(url).endswith(
                f"/resource/{resource['id']}/download/សៀវភៅណែនាំ-ព្រៃឈើ.pdf"), url
        assert model.Resource.get(resource["id"]).url == "សៀវភៅណែនាំ-ព្រៃឈើ.pdf"
        response = app.get(urlsplit(shown["url"]).path, headers={"Sec-Fetch-Dest": "document"})
        assert response.data == samples.pdf()
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=download.pdf; filename*=UTF-8''")
        assert unquote(disposition.split("UTF-8''")[1]) == "សៀវភៅណែនាំ-ព្រៃឈើ.pdf"
        # an edit sends the link shown back: the name stays as it was stored
        helpers.call_action("resource_patch", id=resource["id"], description="New")
        assert model.Resource.get(resource["id"]).url == "សៀវភៅណែនាំ-ព្រៃឈើ.pdf"
        helpers.call_action("resource_update", **dict(shown, description="Newer"))
        assert model.Resource.get(resource["id"]).url == "សៀវភៅណែនាំ-ព្រៃឈើ.pdf"

    def test_metadata_cannot_make_a_file_html(self, app, pdf_resource):
        dataset, resource = pdf_resource
        helpers.call_action("resource_patch", id=resource["id"],
                            mimetype="text/html")
        response = app.get(f"/dataset/{dataset['id']}/resource/"
                           f"{resource['id']}/download/page.html")
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=page.html")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
