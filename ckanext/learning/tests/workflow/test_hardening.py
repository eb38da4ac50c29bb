"""The workflow's part of issue 14: revisions change metadata only, what
waits for review is read-only to its contributors, ``came_from`` stays on
the site, and a link or mimetype can no longer break ``/download``."""
from __future__ import annotations

import io

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import search
from ckan.tests import factories
from ckanapi import LocalCKAN, ValidationError

from ckanext.learning.tests.workflow import samples
from ckanext.learning.tests.workflow.conftest import api, resource_dict
from ckanext.learning.workflow import states

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]

PENDING_KM = "ធនធាននេះកំពុងរង់ចាំការពិនិត្យ"  # "This resource is waiting for review"


def auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def fresh(dataset_id: str) -> model.Package:
    model.Session.expire_all()
    return model.Package.get(dataset_id)


def status_of(dataset_id: str) -> str:
    return states.status_of(fresh(dataset_id))


def title(dataset_id: str) -> str:
    return LocalCKAN().action.package_show(id=dataset_id)["title_translated"]["en"]


def titled(text: str) -> dict:
    return {"title_translated": {"en": text, "km": "ចំណងជើងថ្មី"}}


class TestRevisionsChangeMetadataOnly:
    @pytest.mark.parametrize("field, value", [
        ("state", "deleted"), ("type", "dataset"), ("owner_org", "other_cso")])
    def test_contributor_cannot_propose_it(self, published, contributor, other_cso,
                                           field, value):
        if value == "other_cso":
            value = other_cso["id"]
        with pytest.raises(ValidationError) as caught:
            api(contributor).action.package_patch(id=published["id"], **{field: value})
        assert "description only" in caught.value.error_dict[field][0]
        assert states.open_revision(published["id"]) is None

    def test_same_values_and_visibility_are_accepted(self, published, contributor, cso):
        api(contributor).action.package_patch(
            id=published["id"], owner_org=cso["name"], state="active", private=True,
            notes_translated={"en": "Better notes", "km": "កំណត់ចំណាំល្អជាង"})
        revision = states.open_revision(published["id"])
        assert revision is not None and revision.data["private"] is False

    def test_approving_a_revision_never_deletes_moves_or_hides(self, published, reviewer,
                                                               contributor, other_cso):
        api(contributor).action.package_patch(
            id=published["id"],
            notes_translated={"en": "Better notes", "km": "កំណត់ចំណាំល្អជាង"})
        # a revision stored before the check, carrying what it must not change
        revision = states.open_revision(published["id"])
        revision.data = dict(revision.data, state="deleted", private=True,
                             owner_org=other_cso["id"], type="dataset")
        model.Session.commit()
        api(contributor).action.learning_submit(id=published["id"], accept_terms=True)
        api(reviewer).action.learning_review(id=published["id"], decision="approve")
        package = fresh(published["id"])
        assert (package.state, package.private, package.type) == (
            "active", False, "learning-resource")
        assert package.owner_org == published["owner_org"]
        shown = api().action.package_show(id=published["id"])
        assert shown["notes_translated"]["en"] == "Better notes"


class TestPendingIsReadOnly:
    def test_contributor_cannot_edit_a_pending_submission(self, pending, contributor):
        with pytest.raises(ValidationError) as caught:
            api(contributor).action.package_patch(id=pending["id"], **titled("Changed"))
        assert "waiting for review" in caught.value.error_dict["status"][0]
        assert title(pending["id"]) == pending["title_translated"]["en"]

    def test_nor_its_resources(self, pending, contributor):
        resource_id = pending["resources"][0]["id"]
        for action, data in (
                ("resource_patch", {"id": resource_id, "name": "Changed"}),
                ("resource_create", {"package_id": pending["id"],
                                     "url": "https://example.org/more"}),
                ("resource_delete", {"id": resource_id})):
            with pytest.raises(ValidationError):
                getattr(api(contributor).action, action)(**data)
        assert len(api(contributor).action.package_show(id=pending["id"])["resources"]) == 1

    def test_nor_delete_it(self, pending, contributor):
        with pytest.raises(ValidationError):
            api(contributor).action.package_delete(id=pending["id"])
        assert fresh(pending["id"]).state == "active"

    def test_editable_again_once_withdrawn(self, pending, contributor):
        api(contributor).action.learning_withdraw(id=pending["id"])
        api(contributor).action.package_patch(id=pending["id"], **titled("Changed"))
        assert title(pending["id"]) == "Changed"

    def test_editable_again_once_returned(self, pending, contributor, reviewer):
        api(reviewer).action.learning_review(id=pending["id"], decision="return",
                                             comment="Add the Khmer title")
        api(contributor).action.package_patch(id=pending["id"], **titled("Changed"))
        assert title(pending["id"]) == "Changed"

    def test_reviewers_may_still_correct_it(self, pending, reviewer):
        api(reviewer).action.package_patch(id=pending["id"], **titled("Corrected"))
        assert title(pending["id"]) == "Corrected"

    def test_pending_revision_is_read_only(self, published, contributor):
        notes = {"en": "Better notes", "km": "កំណត់ចំណាំល្អជាង"}
        api(contributor).action.package_patch(id=published["id"], notes_translated=notes)
        api(contributor).action.learning_submit(id=published["id"], accept_terms=True)
        with pytest.raises(ValidationError):
            api(contributor).action.package_patch(
                id=published["id"], notes_translated={"en": "Other", "km": "ផ្សេង"})
        assert states.open_revision(published["id"]).data["notes_translated"] == notes

    def test_message_in_khmer(self, app, pending, contributor):
        response = app.post("/km/api/3/action/package_patch", headers=auth(contributor),
                            json={"id": pending["id"], **titled("Changed")}, status=409)
        assert PENDING_KM in response.json["error"]["status"][0]


class TestCameFrom:
    @pytest.mark.parametrize("target", [
        "https://evil.example/phish", "//evil.example/phish", "/\\evil.example",
        "\\\\evil.example", "javascript:alert(1)", "http://test.ckan.net.evil.example/",
        "/learning/review\r\nSet-Cookie: x=1"])
    def test_off_site_targets_go_to_the_dataset(self, app, pending, contributor, target):
        response = app.post(f"/learning/withdraw/{pending['id']}", headers=auth(contributor),
                            data={"came_from": target}, follow_redirects=False)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(
            f"/learning-resource/{pending['name']}")
        assert status_of(pending["id"]) == "draft"

    @pytest.mark.parametrize("target", ["/learning/review",
                                        "http://test.ckan.net/learning/review"])
    def test_targets_on_the_site_are_followed(self, app, pending, reviewer, target):
        response = app.post(f"/learning/decide/{pending['id']}", headers=auth(reviewer),
                            data={"decision": "return", "comment": "Needs a licence",
                                  "came_from": target}, follow_redirects=False)
        assert response.headers["Location"].endswith("/learning/review")


def download_url(dataset: dict, resource_id: str) -> str:
    return f"/learning-resource/{dataset['id']}/resource/{resource_id}/download"


class TestStoredLinksAndTypes:
    @pytest.mark.parametrize("url", ["javascript:alert(document.cookie)",
                                     " JavaScript:alert(1)", "data:text/html,<script>",
                                     "ftp://files.example.org/a.pdf", "www.example.org",
                                     "https://example.org/a\r\nSet-Cookie: x=1"])
    def test_link_must_be_http(self, draft, contributor, cso, url):
        with pytest.raises(ValidationError) as caught:
            api(contributor).action.resource_create(package_id=draft["id"], url=url)
        assert "http://" in caught.value.error_dict["url"][0]
        with pytest.raises(ValidationError) as caught:
            api(contributor).action.package_create(**resource_dict(
                cso, name="bad-link", resources=[{"name": "Bad", "url": url}]))
        assert "http://" in str(caught.value.error_dict["resources"])

    @pytest.mark.parametrize("mimetype", ["text/html\r\nSet-Cookie: x=1", "text/html; x",
                                          "application", "<script>/x"])
    def test_mimetype_must_be_a_type(self, draft, contributor, mimetype):
        with pytest.raises(ValidationError) as caught:
            api(contributor).action.resource_patch(
                id=draft["resources"][0]["id"], mimetype=mimetype)
        assert "type/subtype" in caught.value.error_dict["mimetype"][0]

    def test_good_values_pass(self, draft, contributor):
        resource = api(contributor).action.resource_create(
            package_id=draft["id"], url="HTTPS://Example.org/a b.pdf",
            mimetype="application/vnd.oasis.opendocument.text")
        assert resource["mimetype"] == "application/vnd.oasis.opendocument.text"

    def _stored(self, resource_id: str, **values) -> None:
        """Values written before the checks existed (straight to the table,
        then indexed as they were then)."""
        resource = model.Session.get(model.Resource, resource_id)
        model.Session.query(model.Resource).filter_by(id=resource_id).update(values)
        model.Session.commit()
        search.rebuild(resource.package_id)

    def test_old_javascript_link_neither_500s_nor_shows(self, app, published):
        resource_id = published["resources"][0]["id"]
        self._stored(resource_id, url="javascript:alert(document.cookie)")
        app.get(download_url(published, resource_id), status=404)
        page = app.get(f"/learning-resource/{published['name']}/resource/{resource_id}")
        assert "javascript:" not in page.body
        assert api().action.resource_show(id=resource_id)["url"] == ""

    def test_old_empty_link_is_no_download(self, app, published):
        resource_id = published["resources"][0]["id"]
        self._stored(resource_id, url="")
        app.get(download_url(published, resource_id), status=404)

    def test_old_crlf_mimetype_downloads_safely(self, app, cso, contributor):
        dataset = api(contributor).action.package_create(**resource_dict(
            cso, name="uploaded-handbook", resources=[]))
        resource = tk.get_action("resource_create")(
            {"user": contributor["name"]},
            {"package_id": dataset["id"], "name": "Handbook",
             "upload": _file("handbook.pdf", samples.pdf())})
        self._stored(resource["id"], mimetype="text/html\r\nSet-Cookie: stolen=1")
        response = app.get(download_url(dataset, resource["id"]) + "/handbook.pdf",
                           headers=auth(contributor))
        assert response.status_code == 200
        assert "\n" not in response.headers["Content-Type"]
        assert "stolen" not in str(response.headers)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def _file(name: str, content: bytes):
    from werkzeug.datastructures import FileStorage
    return FileStorage(stream=io.BytesIO(content), filename=name)
