"""The contribution workflow through the action API, with real users of each
role: what each may do, every state transition, and the audit trail."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckanapi import NotAuthorized, NotFound, ValidationError

from ckanext.learning.tests.workflow.conftest import api, resource_dict

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db"),
              pytest.mark.ckan_config("ckanext.learning.review.notify", False)]


def status(dataset_id):
    from ckanext.learning.workflow import states
    return states.status_of(model.Package.get(dataset_id))


def is_public(dataset_id):
    package = model.Package.get(dataset_id)
    model.Session.refresh(package)
    return not package.private


class TestDrafts:
    def test_contributors_new_resource_is_a_private_draft(self, draft):
        assert draft["private"] is True
        assert status(draft["id"]) == "draft"
        with pytest.raises(NotAuthorized):
            api().action.package_show(id=draft["id"])

    def test_asking_for_public_on_create_changes_nothing(self, cso, contributor):
        created = api(contributor).action.package_create(
            **resource_dict(cso, private=False))
        assert created["private"] is True
        assert status(created["id"]) == "draft"

    def test_contributor_cannot_publish_by_editing(self, draft, contributor):
        api(contributor).action.package_patch(id=draft["id"], private=False)
        assert not is_public(draft["id"])
        assert status(draft["id"]) == "draft"

    def test_organisation_admin_cannot_bulk_publish(self, draft, cso, cso_admin):
        with pytest.raises(NotAuthorized):
            api(cso_admin).action.bulk_update_public(
                datasets=[draft["id"]], org_id=cso["id"])
        assert not is_public(draft["id"])

    def test_registered_user_without_organisation_cannot_create(self, cso, registered):
        before = model.Session.query(model.Package).count()
        with pytest.raises(NotAuthorized):
            api(registered).action.package_create(**resource_dict(cso))
        assert model.Session.query(model.Package).count() == before

    def test_reviewer_publishes_directly(self, odc, reviewer):
        created = api(reviewer).action.package_create(
            **resource_dict(odc, name="odc-guide", private=False))
        assert created["private"] is False
        assert status(created["id"]) == "published"
        assert api().action.package_show(id=created["id"])["name"] == "odc-guide"


class TestSubmit:
    def test_submit_needs_the_terms_accepted(self, draft, contributor):
        with pytest.raises(ValidationError) as err:
            api(contributor).action.learning_submit(id=draft["id"])
        assert "accept_terms" in err.value.error_dict
        assert status(draft["id"]) == "draft"

    def test_submit_makes_it_pending_and_records_the_terms(self, draft, contributor,
                                                           reviewer):
        reply = api(contributor).action.learning_submit(
            id=draft["id"], accept_terms=True, comment="Ready, thanks")
        assert reply["status"] == "pending"
        assert not is_public(draft["id"])
        history = api(reviewer).action.learning_review_history(id=draft["id"])
        submit = history["events"][-1]
        assert submit["action"] == "submit"
        assert submit["user"] == contributor["name"]
        assert submit["comment"] == "Ready, thanks"
        assert submit["terms_version"] == api().action.learning_terms_show()["version"]
        assert "right to share" in submit["terms_text"]["en"]
        assert submit["terms_text"]["km"]
        assert submit["created"]

    def test_missing_metadata_is_named(self, cso, contributor):
        created = api(contributor).action.package_create(**resource_dict(
            cso, resources=[], license_id="notspecified"))
        with pytest.raises(ValidationError) as err:
            api(contributor).action.learning_submit(id=created["id"], accept_terms=True)
        assert set(err.value.error_dict) >= {"resources", "license_id"}
        assert "file or link" in err.value.error_dict["resources"][0]
        assert status(created["id"]) == "draft"

    def test_only_the_organisation_submits(self, draft, outsider, cso_member, registered):
        for user in (outsider, cso_member, registered, None):
            with pytest.raises(NotAuthorized):
                api(user).action.learning_submit(id=draft["id"], accept_terms=True)
        assert status(draft["id"]) == "draft"

    def test_pending_cannot_be_submitted_twice(self, pending, contributor):
        with pytest.raises(ValidationError):
            api(contributor).action.learning_submit(id=pending["id"], accept_terms=True)

    def test_unknown_dataset(self, contributor):
        with pytest.raises(NotFound):
            api(contributor).action.learning_submit(id="no-such-thing", accept_terms=True)


class TestReview:
    def test_queue_lists_what_waits(self, pending, reviewer, contributor):
        queue = api(reviewer).action.learning_review_queue()
        assert [(e["name"], e["kind"], e["submitted_by"]) for e in queue] == [
            (pending["name"], "new", contributor["name"])]
        assert queue[0]["terms_version"]

    def test_reviewer_reads_the_pending_resource(self, pending, reviewer):
        assert api(reviewer).action.package_show(id=pending["id"])["id"] == pending["id"]
        found = api(reviewer).action.package_search(
            q="patrol", include_private=True)["results"]
        assert [d["id"] for d in found] == [pending["id"]]

    def test_reviewers_do_not_see_drafts(self, draft, reviewer):
        with pytest.raises(NotAuthorized):
            api(reviewer).action.package_show(id=draft["id"])

    def test_only_reviewers_decide(self, pending, contributor, cso_admin, outsider,
                                   registered):
        for user in (contributor, cso_admin, outsider, registered, None):
            with pytest.raises(NotAuthorized):
                api(user).action.learning_review(id=pending["id"], decision="approve")
            with pytest.raises(NotAuthorized):
                api(user).action.learning_review_queue()
        assert status(pending["id"]) == "pending"
        assert not is_public(pending["id"])

    def test_approve_publishes(self, pending, reviewer):
        reply = api(reviewer).action.learning_review(id=pending["id"], decision="approve")
        assert reply["status"] == "published"
        assert is_public(pending["id"])
        shown = api().action.package_show(id=pending["id"])
        assert shown["title"] == "Community forest patrol handbook"
        assert [d["id"] for d in api().action.package_search(q="patrol")["results"]] == [
            pending["id"]]
        assert api(reviewer).action.learning_review_queue() == []

    def test_return_needs_a_comment(self, pending, reviewer):
        with pytest.raises(ValidationError) as err:
            api(reviewer).action.learning_review(id=pending["id"], decision="return")
        assert "comment" in err.value.error_dict
        assert status(pending["id"]) == "pending"

    def test_unknown_decision(self, pending, reviewer):
        with pytest.raises(ValidationError) as err:
            api(reviewer).action.learning_review(id=pending["id"], decision="maybe")
        assert "decision" in err.value.error_dict

    def test_returned_is_edited_and_submitted_again(self, pending, reviewer, contributor,
                                                    cso_member):
        api(reviewer).action.learning_review(
            id=pending["id"], decision="return", comment="Add the Khmer summary")
        assert status(pending["id"]) == "returned"
        assert not is_public(pending["id"])
        mine = api(contributor).action.learning_my_submissions()
        assert [(m["name"], m["status"], m["last_comment"]) for m in mine] == [
            (pending["name"], "returned", "Add the Khmer summary")]
        # the organisation still sees it, with the comment
        assert api(cso_member).action.package_show(id=pending["id"])["id"]
        api(contributor).action.package_patch(
            id=pending["id"], notes_translated={"en": "How committees patrol.",
                                                "km": "របៀបល្បាតព្រៃ។"})
        assert status(pending["id"]) == "returned"
        api(contributor).action.learning_submit(id=pending["id"], accept_terms=True)
        assert status(pending["id"]) == "pending"
        actions = [e["action"] for e in
                   api(contributor).action.learning_review_history(id=pending["id"])["events"]]
        assert actions == ["submit", "return", "submit"]

    def test_rejected_is_final(self, pending, reviewer, contributor):
        api(reviewer).action.learning_review(
            id=pending["id"], decision="reject", comment="Not a learning resource")
        assert status(pending["id"]) == "rejected"
        with pytest.raises(ValidationError) as err:
            api(contributor).action.learning_submit(id=pending["id"], accept_terms=True)
        assert "rejected" in err.value.error_dict["status"][0]
        assert not is_public(pending["id"])

    def test_sysadmin_reviews_too(self, pending, sysadmin):
        api(sysadmin).action.learning_review(id=pending["id"], decision="approve")
        assert is_public(pending["id"])

    @pytest.mark.ckan_config("ckanext.learning.review.reviewers", ["sokha"])
    def test_configured_user_reviews(self, pending):
        from ckan.tests import factories
        factories.User(name="sokha")
        api({"name": "sokha"}).action.learning_review(id=pending["id"], decision="approve")
        assert is_public(pending["id"])


class TestPublishedEdits:
    def test_edit_waits_as_revision(self, published, contributor, reviewer):
        api(contributor).action.package_patch(
            id=published["id"],
            title_translated={"en": "Patrol handbook, second edition",
                              "km": "សៀវភៅណែនាំការល្បាត បោះពុម្ពលើកទីពីរ"})
        public = api().action.package_show(id=published["id"])
        assert public["title"] == "Community forest patrol handbook"
        assert status(published["id"]) == "published"
        assert api(contributor).action.package_show(
            id=published["id"])["learning_review"]["revision"] == "draft"
        # not in the queue until submitted
        assert api(reviewer).action.learning_review_queue() == []
        api(contributor).action.learning_submit(id=published["id"], accept_terms=True)
        queue = api(reviewer).action.learning_review_queue()
        assert [(e["name"], e["kind"]) for e in queue] == [(published["name"], "revision")]
        assert api().action.package_show(
            id=published["id"])["title"] == "Community forest patrol handbook"
        api(reviewer).action.learning_review(id=published["id"], decision="approve")
        assert api().action.package_show(
            id=published["id"])["title"] == "Patrol handbook, second edition"
        assert is_public(published["id"])

    def test_returned_revision_keeps_the_published_version(self, published, contributor,
                                                           reviewer):
        api(contributor).action.package_patch(
            id=published["id"], title_translated={"en": "Typo here", "km": "ខុស"})
        api(contributor).action.learning_submit(id=published["id"], accept_terms=True)
        api(reviewer).action.learning_review(
            id=published["id"], decision="return", comment="Fix the typo")
        assert api().action.package_show(
            id=published["id"])["title"] == "Community forest patrol handbook"
        history = api(contributor).action.learning_review_history(id=published["id"])
        assert history["revision"] == "returned"
        assert history["events"][-1]["comment"] == "Fix the typo"

    def test_invalid_edit_is_refused_at_once(self, published, contributor):
        with pytest.raises(ValidationError) as err:
            api(contributor).action.package_patch(id=published["id"], themes=["cooking"])
        assert "themes" in err.value.error_dict
        assert api(contributor).action.package_show(
            id=published["id"])["learning_review"]["revision"] is None

    def test_files_of_published_change_through_review(self, published, contributor):
        with pytest.raises(ValidationError) as err:
            api(contributor).action.resource_create(
                package_id=published["id"], url="https://example.org/other.pdf")
        assert "withdraw" in err.value.error_dict["resources"][0]
        assert len(api().action.package_show(id=published["id"])["resources"]) == 1

    def test_withdraw_unpublishes(self, published, contributor):
        api(contributor).action.learning_withdraw(id=published["id"])
        assert not is_public(published["id"])
        assert status(published["id"]) == "draft"
        with pytest.raises(NotAuthorized):
            api().action.package_show(id=published["id"])

    def test_reviewer_edits_go_live(self, published, reviewer):
        api(reviewer).action.package_patch(
            id=published["id"], title_translated={"en": "Corrected", "km": "កែ"})
        assert api().action.package_show(id=published["id"])["title"] == "Corrected"


class TestJoining:
    def test_request_is_decided_by_the_organisation_admin(self, cso, cso_admin, registered,
                                                          outsider):
        req = api(registered).action.learning_membership_request_create(
            organization=cso["name"], message="I run the youth programme")
        assert req["status"] == "pending"
        with pytest.raises(ValidationError):
            api(registered).action.learning_membership_request_create(
                organization=cso["name"])
        assert [r["id"] for r in api(cso_admin).action.learning_membership_request_list()] \
            == [req["id"]]
        assert api(outsider).action.learning_membership_request_list() == []
        with pytest.raises(NotAuthorized):
            api(outsider).action.learning_membership_request_decide(
                id=req["id"], decision="approve")
        decided = api(cso_admin).action.learning_membership_request_decide(
            id=req["id"], decision="approve")
        assert decided["status"] == "approved"
        created = api(registered).action.package_create(
            **resource_dict(cso, name="youth-toolkit"))
        assert created["private"] is True

    def test_anonymous_cannot_ask(self, cso):
        with pytest.raises(NotAuthorized):
            api().action.learning_membership_request_create(organization=cso["name"])


class TestForbiddenOverHttp:
    """The action API answers 403 to each forbidden call and changes nothing."""

    @pytest.fixture
    def call(self, app):
        from ckan.tests import factories

        def call(user, action, **data):
            headers = {}
            if user is not None:
                headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
            return app.post(f"/api/3/action/{action}", json=data, headers=headers,
                            status=403).json
        return call

    def test_contributors_cannot_decide(self, call, pending, contributor, cso_admin):
        for user in (contributor, cso_admin, None):
            reply = call(user, "learning_review", id=pending["id"], decision="approve")
            assert reply["success"] is False
            assert reply["error"]["__type"] == "Authorization Error"
        assert status(pending["id"]) == "pending"
        assert not is_public(pending["id"])

    def test_others_cannot_submit_withdraw_or_read_history(self, call, published, cso,
                                                           contributor, outsider,
                                                           registered):
        pending = api(contributor).action.package_create(
            **resource_dict(cso, name="second-handbook"))
        api(contributor).action.learning_submit(id=pending["id"], accept_terms=True)
        for user in (outsider, registered, None):
            call(user, "learning_submit", id=pending["id"], accept_terms=True)
            call(user, "learning_withdraw", id=published["id"])
            call(user, "learning_review_history", id=pending["id"])
            call(user, "package_show", id=pending["id"])
        assert status(pending["id"]) == "pending"
        assert is_public(published["id"])

    def test_only_organisation_admins_decide_requests(self, call, cso, registered, outsider,
                                                      contributor):
        request = api(registered).action.learning_membership_request_create(
            organization=cso["name"])
        for user in (outsider, contributor, registered, None):
            call(user, "learning_membership_request_decide", id=request["id"],
                 decision="approve")
        assert api(registered).action.learning_membership_request_list(
            mine=True)[0]["status"] == "pending"
