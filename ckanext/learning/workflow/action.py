"""API of the contribution workflow: submit, review, withdraw, the queue,
one's own submissions, the audit trail and the terms.  Usable from
``ckanapi`` as from the web pages (requests to join: ``membership.py``)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.learning.fluent import languages
from ckanext.learning.workflow import names, notify, review, schema, states, terms
from ckanext.learning.workflow.model import ReviewEvent

__all__ = [
    "learning_submit", "learning_review", "learning_withdraw",
    "learning_review_queue", "learning_my_submissions", "learning_review_history",
    "learning_terms_show",
]


def _package(data_dict: DataDict) -> model.Package:
    package = model.Package.get(data_dict.get("id") or "")
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Resource not found"))
    return package


def _acting_user(context: Context) -> model.User:
    user = states.user_of(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first."))
    return user


@contextlib.contextmanager
def _rollback_on_error() -> Iterator[None]:
    """A refused transition leaves nothing half-done in the session."""
    try:
        yield
    except Exception:
        model.Session.rollback()
        raise


def _commit_and_reindex(package: model.Package) -> None:
    model.repo.commit()
    search.rebuild(package.id)


def _status_reply(package: model.Package, status: str,
                  unreachable: list[str]) -> dict[str, Any]:
    revision = states.open_revision(package.id)
    return {"id": package.id, "name": package.name, "status": status,
            "revision": revision.status if revision is not None else None,
            "mail_failed": unreachable}


@validate(schema.submit)
def learning_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a learning resource (or the changes waiting on a published one)
    for review.  The contributor accepts the terms of contribution; the
    accepted version and text are stored with the submission.

    :param id: the dataset's id or name
    :type id: string
    :param accept_terms: must be true (see ``learning_terms_show``)
    :type accept_terms: bool
    :param comment: a note for the reviewers (optional)
    :type comment: string
    :returns: ``{"id", "name", "status", "revision", "mail_failed"}``;
        ``mail_failed`` names, to a reviewer, those who could not be mailed
        for want of an email address (empty for anyone else, who is never
        shown a reviewer's name; the log has them).  Mail to the others is
        saved with the submission and delivered by a background job (see
        ``learning_outbox_list``)
    """
    package = _package(data_dict)
    tk.check_access("learning_submit", context, data_dict)
    if not data_dict.get("accept_terms"):
        raise tk.ValidationError({"accept_terms": [
            tk._("Accept the terms of contribution to submit.")]})
    user = _acting_user(context)
    with _rollback_on_error():
        status, revision = review.submit(
            package, user, data_dict.get("comment", ""),
            shown=lambda: tk.get_action("package_show")(
                {"ignore_auth": True}, {"id": package.id}))
        unreachable = notify.tell("submitted", states.reviewers(), user, package,
                                  data_dict.get("comment", ""))
    _commit_and_reindex(package)
    return _status_reply(package, status,
                         names.unreachable_for(user, unreachable, "a submission"))


@validate(schema.review)
def learning_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Decide on a submission or a revision: approve (publish), return with
    comments, or reject.  A reviewer may approve an unsubmitted draft: that
    is publishing directly.

    :param id: the dataset's id or name
    :type id: string
    :param decision: ``approve``, ``return`` or ``reject``
    :type decision: string
    :param comment: required when returning or rejecting
    :type comment: string
    :returns: as ``learning_submit``
    """
    package = _package(data_dict)
    tk.check_access("learning_review", context, data_dict)
    reviewer = _acting_user(context)
    comment = data_dict.get("comment", "")
    decision = data_dict["decision"]
    with _rollback_on_error():
        status, revision = review.decide(package, reviewer, decision, comment, context)
        event = {review.APPROVE: "approved", review.RETURN: "returned",
                 review.REJECT: "rejected"}[decision]
        if revision is not None:
            event = f"revision_{event}"
        recipients = [u for u in notify.submitter_of(package) if u.id != reviewer.id]
        unreachable = notify.tell(event, recipients, reviewer, package, comment)
    _commit_and_reindex(package)
    return _status_reply(package, status,
                         names.unreachable_for(reviewer, unreachable, "a decision"))


@validate(schema.withdraw)
def learning_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a submission back, or unpublish a resource, to a private draft.

    :param id: the dataset's id or name
    :type id: string
    :param comment: why (optional)
    :type comment: string
    :returns: as ``learning_submit``
    """
    package = _package(data_dict)
    tk.check_access("learning_withdraw", context, data_dict)
    user = _acting_user(context)
    with _rollback_on_error():
        status = review.withdraw(package, user, data_dict.get("comment", ""), context)
    _commit_and_reindex(package)
    return _status_reply(package, status, [])


def _summary(package: model.Package, status: str) -> dict[str, Any]:
    org = model.Group.get(package.owner_org) if package.owner_org else None
    return {"id": package.id, "name": package.name, "type": package.type,
            "title": languages.package_title(package), "status": status,
            "organization": org.name if org is not None else None,
            "metadata_modified": package.metadata_modified.isoformat()
            if package.metadata_modified else None}


def _event_dict(event: ReviewEvent, named: bool = True) -> dict[str, Any]:
    """An audit-trail line; unless ``named``, a reviewer's is anonymous."""
    user = model.User.get(event.user_id)
    by_reviewer = names.hidden_actor(event.action, user)
    if by_reviewer and not named:
        user = None
    return {"action": event.action, "from_status": event.from_status,
            "to_status": event.to_status, "comment": event.comment,
            "user": user.name if user is not None else None,
            "user_display_name": user.display_name if user is not None else None,
            "by_reviewer": by_reviewer,
            "created": event.created.isoformat(),
            "revision_id": event.revision_id,
            "terms_version": event.terms_version,
            "terms_text": languages.load(event.terms_text) if event.terms_text else None}


def _last_event(package_id: str, actions: tuple[str, ...]) -> ReviewEvent | None:
    return (model.Session.query(ReviewEvent)
            .filter(ReviewEvent.package_id == package_id,
                    ReviewEvent.action.in_(actions))
            .order_by(ReviewEvent.created.desc()).first())


@tk.side_effect_free
def learning_review_queue(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """What waits for a reviewer's decision, oldest first: new submissions
    and changes to published resources, each with who submitted it, when,
    and the terms they accepted.

    :returns: list of ``{"id", "name", "title", "organization", "kind"
        ("new" or "revision"), "submitted_by", "submitted", "comment",
        "terms_version", "terms_text"}``
    """
    tk.check_access("learning_review_queue", context, data_dict)
    pending_ids = [row.package_id for row in model.Session.query(states.ReviewStatus)
                   .filter(states.ReviewStatus.status == states.PENDING)]
    items = []
    for package_id in pending_ids:
        package = model.Package.get(package_id)
        if package is None or package.state != "active":
            continue
        items.append((package, "new", _last_event(package_id, ("submit",))))
    for revision in states.pending_revisions():
        package = model.Package.get(revision.package_id)
        if package is None or package.state != "active":
            continue
        items.append((package, "revision", _last_event(package.id, ("submit_revision",))))
    queue = []
    for package, kind, event in items:
        entry = _summary(package, states.PENDING)
        entry["kind"] = kind
        submitted = _event_dict(event) if event is not None else {}
        entry.update({"submitted_by": submitted.get("user"),
                      "submitted": submitted.get("created"),
                      "comment": submitted.get("comment", ""),
                      "terms_version": submitted.get("terms_version"),
                      "terms_text": submitted.get("terms_text")})
        queue.append(entry)
    queue.sort(key=lambda e: e["submitted"] or "")
    return queue


@tk.side_effect_free
def learning_my_submissions(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The learning resources of the organisations one contributes to (as
    editor or admin), each with its review status, an open revision's status
    and the latest reviewer comment.

    :param status: only those with this status (optional)
    :type status: string
    :returns: list of ``{"id", "name", "title", "organization", "status",
        "revision", "last_comment", "last_action", "metadata_modified"}``,
        newest first
    """
    tk.check_access("learning_my_submissions", context, data_dict)
    user = _acting_user(context)
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user.name}, {"permission": "create_dataset"})
    org_ids = [o["id"] for o in orgs]
    if not org_ids:
        return []
    packages = (model.Session.query(model.Package)
                .filter(model.Package.owner_org.in_(org_ids),
                        model.Package.state == "active")
                .order_by(model.Package.metadata_modified.desc()).all())
    statuses = states.statuses_of(p.id for p in packages)
    wanted = data_dict.get("status")
    result = []
    for package in packages:
        status = statuses.get(package.id) or states.status_of(package)
        if wanted and status != wanted:
            continue
        entry = _summary(package, status)
        revision = states.open_revision(package.id)
        entry["revision"] = revision.status if revision is not None else None
        last = _last_event(package.id, ("return", "reject", "approve",
                                        "return_revision", "reject_revision",
                                        "approve_revision"))
        entry["last_action"] = last.action if last is not None else None
        entry["last_comment"] = last.comment if last is not None else ""
        result.append(entry)
    return result


@tk.side_effect_free
def learning_review_history(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A resource's review status and audit trail (each submission,
    decision, withdrawal and revision, with who, when and the comment).
    To anyone but a reviewer, a reviewer's line names nobody (``user`` and
    ``user_display_name`` are null; ``by_reviewer`` is true).

    :param id: the dataset's id or name
    :type id: string
    :returns: ``{"status", "revision", "events": [{"action", "from_status",
        "to_status", "comment", "user", "user_display_name", "by_reviewer",
        "created", "revision_id", "terms_version", "terms_text"}, ...]}``
    """
    package = _package(data_dict)
    tk.check_access("learning_review_history", context, data_dict)
    revision = states.open_revision(package.id)
    named = names.sees_reviewers(states.user_of(context))
    return {"id": package.id, "status": states.status_of(package),
            "revision": revision.status if revision is not None else None,
            "events": [_event_dict(e, named) for e in states.history(package.id)]}


@tk.side_effect_free
def learning_terms_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The terms of contribution accepted on submission.

    :returns: ``{"version", "text": {lang: text}}``
    """
    tk.check_access("learning_terms_show", context, data_dict)
    current = terms.current()
    return {"version": str(current["version"]), "text": dict(current["text"])}
