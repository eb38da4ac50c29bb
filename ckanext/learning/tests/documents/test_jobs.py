"""Upload -> background job -> searchable text and a cover, wired into CKAN.

The job is only queued by the upload (nothing is read in the request); the
tests then run the queue with a burst worker, as ``ckan jobs worker --burst``
would, in-process (``with_test_worker``).
"""
from __future__ import annotations

import io
import os
import subprocess
import sys

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers
from ckanapi import LocalCKAN
from PIL import Image
from werkzeug.datastructures import FileStorage

from ckanext.learning.documents import covers, extract
from ckanext.learning.documents import jobs as document_jobs
from ckanext.learning.documents.index import DOCUMENT_TEXT, add_document_text
from ckanext.learning.documents.model import for_resource
from ckanext.learning.tests.documents import samples


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def queued() -> list:
    return ckan_jobs.get_queue().jobs


def run_jobs() -> None:
    ckan_jobs.Worker().work(burst=True)


def anonymous_search(q: str) -> list[str]:
    found = LocalCKAN(username="").action.package_search(q=q)
    return [d["name"] for d in found["results"]]


def png_size(body: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(body))
    assert image.format == "PNG"
    return image.size


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_test_worker", "clean_queues")
class TestDocumentJob:
    @pytest.fixture
    def dataset(self, org):
        return factories.Dataset(owner_org=org["id"], name="coastal-fisheries",
                                 title="Coastal fisheries", notes="A report.")

    def _upload(self, dataset, name, content):
        return helpers.call_action("resource_create", package_id=dataset["id"],
                                   upload=upload(name, content))

    def test_upload_queues_the_job_and_reads_nothing_in_the_request(self, dataset):
        resource = self._upload(dataset, "fisheries.pdf", samples.khmer_pdf())
        assert for_resource(resource["id"]) is None
        [job] = queued()
        assert job.func_name == "ckanext.learning.documents.jobs.process_resource"
        assert job.args[0] == resource["id"]
        assert anonymous_search(samples.ENGLISH_WORD) == []
        assert anonymous_search(samples.KHMER_WORD) == []

    def test_after_the_job_the_record_is_found_by_words_inside_the_document(self, dataset):
        resource = self._upload(dataset, "fisheries.pdf", samples.khmer_pdf(pages=2))
        run_jobs()
        assert queued() == []
        row = for_resource(resource["id"])
        assert row.status == extract.OK and row.page_count == 2
        assert row.extractor.startswith("pypdfium2")
        assert samples.ENGLISH_SENTENCE in row.pages[0]
        # found in English and in Khmer, by words only the document has
        assert anonymous_search(samples.ENGLISH_WORD) == ["coastal-fisheries"]
        assert anonymous_search(samples.KHMER_WORD) == ["coastal-fisheries"]
        assert anonymous_search("នេសាទ") == ["coastal-fisheries"]
        assert anonymous_search("tide") == []
        # the index document carries the text in its own field, page by page
        indexed = add_document_text({"id": dataset["id"]})[DOCUMENT_TEXT]
        assert indexed == "\n".join(row.pages)

    def test_a_new_file_replaces_the_text_and_an_unchanged_one_is_not_read_again(
            self, dataset, monkeypatch):
        resource = self._upload(dataset, "fisheries.pdf", samples.khmer_pdf())
        run_jobs()
        helpers.call_action("resource_update", id=resource["id"],
                            upload=upload("fisheries.pptx", samples.pptx_file()))
        run_jobs()
        row = for_resource(resource["id"])
        assert row.status == extract.OK and row.page_count == 2 and row.cover is None
        assert anonymous_search("tide") == ["coastal-fisheries"]
        # an edit that keeps the file queues the job, which skips the file
        reads = []
        monkeypatch.setattr(extract, "extract", lambda *a: reads.append(a))
        helpers.call_action("resource_patch", id=resource["id"], description="Slides")
        assert len(queued()) == 1
        run_jobs()
        assert reads == [] and for_resource(resource["id"]).status == extract.OK

    def test_a_scan_is_reported_as_having_no_text_layer(self, dataset):
        resource = self._upload(dataset, "scan.pdf", samples.scanned_pdf())
        run_jobs()
        row = for_resource(resource["id"])
        assert row.status == extract.NO_TEXT_LAYER and row.page_count == 1
        assert row.reason == ""
        assert row.cover is not None  # a scan still has a first page to show
        assert anonymous_search("coastal") == ["coastal-fisheries"]

    def test_a_broken_file_is_failed_with_its_reason(self, dataset):
        # accepted by the upload check (it is a PDF by its first bytes)
        resource = self._upload(dataset, "broken.pdf", samples.khmer_pdf()[:400])
        run_jobs()
        row = for_resource(resource["id"])
        assert row.status == extract.FAILED and row.reason
        assert row.cover is None

    def test_links_and_other_files_queue_nothing_or_store_nothing(self, dataset):
        helpers.call_action("resource_create", package_id=dataset["id"],
                            url="https://example.org/report.pdf")
        assert queued() == []
        resource = self._upload(dataset, "data.csv", b"a,b\n1,2\n")
        run_jobs()
        assert for_resource(resource["id"]) is None

    def test_deleting_the_resource_removes_its_text_from_the_index(self, dataset):
        resource = self._upload(dataset, "fisheries.pdf", samples.khmer_pdf())
        run_jobs()
        cover = covers.cover_path(for_resource(resource["id"]).cover)
        assert os.path.exists(cover)
        helpers.call_action("resource_delete", id=resource["id"])
        assert anonymous_search(samples.ENGLISH_WORD) == []
        document_jobs.process_resource(resource["id"])
        assert for_resource(resource["id"]) is None and not os.path.exists(cover)


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_test_worker", "clean_queues")
class TestCoverView:
    def _with_pdf(self, org, **dataset_fields):
        dataset = factories.Dataset(owner_org=org["id"], **dataset_fields)
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"],
            upload=upload("fisheries.pdf", samples.khmer_pdf()))
        run_jobs()
        return dataset, resource

    def test_the_cover_is_the_first_page_as_a_small_png(self, app, org):
        _, resource = self._with_pdf(org)
        response = app.get(f"/learning/cover/{resource['id']}.png", status=200)
        assert response.headers["Content-Type"] == "image/png"
        width, height = png_size(response.data)
        assert width == covers.COVER_WIDTH and 1.3 < height / width < 1.5  # A4
        assert "public" in response.headers["Cache-Control"]
        with open(covers.cover_path(for_resource(resource["id"]).cover), "rb") as f:
            assert f.read() == response.data

    def test_the_helpers_give_the_view(self, app, org):
        dataset, resource = self._with_pdf(org)
        helpers.call_action("resource_create", package_id=dataset["id"],
                            url="https://example.org/video")
        dataset = helpers.call_action("package_show", id=dataset["id"])
        with app.flask_app.test_request_context():
            url = f"/learning/cover/{resource['id']}.png"
            assert tk.h.learning_cover_url(resource) == url
            assert tk.h.learning_dataset_cover_url(dataset) == url
            links_only = factories.Dataset(owner_org=org["id"], resources=[
                {"url": "https://example.org/report.pdf"}])
            assert tk.h.learning_dataset_cover_url(links_only) is None

    def test_an_unpublished_record_hides_its_cover(self, app, org):
        member = factories.UserWithToken()
        helpers.call_action("organization_member_create", id=org["id"],
                            username=member["name"], role="member")
        _, resource = self._with_pdf(org, private=True)
        url = f"/learning/cover/{resource['id']}.png"
        app.get(url, status=404)
        outsider = factories.UserWithToken()
        app.get(url, headers={"Authorization": outsider["token"]}, status=404)
        response = app.get(url, headers={"Authorization": member["token"]}, status=200)
        png_size(response.data)
        assert "private" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]

    def test_no_cover_gives_the_type_icon(self, app, org):
        dataset = factories.Dataset(owner_org=org["id"])
        resource = helpers.call_action(
            "resource_create", package_id=dataset["id"], format="DOCX",
            upload=upload("fisheries.docx", samples.docx_file()))
        run_jobs()
        assert for_resource(resource["id"]).cover is None
        response = app.get(f"/learning/cover/{resource['id']}.png", status=200)
        assert png_size(response.data)[0] == covers.COVER_WIDTH

    def test_unknown_or_deleted_resources_are_404(self, app, org):
        app.get("/learning/cover/no-such-resource.png", status=404)
        _, resource = self._with_pdf(org)
        helpers.call_action("resource_delete", id=resource["id"])
        model.Session.remove()
        app.get(f"/learning/cover/{resource['id']}.png", status=404)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")
def test_ckan_jobs_worker_burst_runs_the_job(org, ckan_config):
    """The real worker (``ckan jobs worker --burst``, forking, in its own
    process) reads the document queued by the upload."""
    dataset = factories.Dataset(owner_org=org["id"], name="coastal-fisheries")
    resource = helpers.call_action("resource_create", package_id=dataset["id"],
                                   upload=upload("fisheries.pdf", samples.khmer_pdf()))
    assert len(queued()) == 1
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=ckan_config["sqlalchemy.url"],
               CKAN_REDIS_URL=ckan_config["ckan.redis.url"])
    done = subprocess.run([ckan, "-c", ckan_config["__file__"], "jobs", "worker", "--burst"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    model.Session.remove()
    assert for_resource(resource["id"]).status == extract.OK
    assert anonymous_search(samples.KHMER_WORD) == ["coastal-fisheries"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")
def test_read_documents_reads_what_was_never_queued(org, cli, monkeypatch):
    """An upload saved while Redis was down: no job, no text, until
    `ckan learning read-documents`."""
    from ckan.cli.cli import ckan as ckan_cli

    def redis_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(document_jobs.tk, "enqueue_job", redis_down)
    dataset = factories.Dataset(owner_org=org["id"], name="coastal-fisheries")
    resource = helpers.call_action("resource_create", package_id=dataset["id"],
                                   upload=upload("fisheries.pdf", samples.khmer_pdf()))
    monkeypatch.undo()
    assert queued() == [] and for_resource(resource["id"]) is None
    done = cli.invoke(ckan_cli, ["learning", "read-documents"])
    assert done.exit_code == 0, done.output
    assert "1 ok" in done.output
    model.Session.remove()
    assert for_resource(resource["id"]).status == extract.OK
    assert anonymous_search(samples.KHMER_WORD) == ["coastal-fisheries"]
    again = cli.invoke(ckan_cli, ["learning", "read-documents"])
    assert "Nothing to read." in again.output
