"""The contribution workflow's transitions.

Statuses (``states``): a contributor's new resource is a *draft* (private);
*submitting* it makes it *pending*; a reviewer *approves* (it becomes public:
*published*), *returns* it with comments (*returned*: the contributor edits
and submits again) or *rejects* it (*rejected*: final).  Reviewers' own
resources are published as soon as they are public.

Edits to a published resource by a contributor never reach the public
unreviewed: they are kept as a *revision* (draft, then pending on submit)
while the published version stays as it is; approving the revision applies
it.  New files cannot wait in a revision (the storage has no private place
for them): to change files, the contributor withdraws the resource to draft,
edits it and submits it again.

Each function here works on model objects inside the caller's transaction;
``workflow/action.py`` checks access, commits, then sends the mail.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.learning.fluent import languages
from ckanext.learning.workflow import states, terms
from ckanext.learning.workflow.model import Revision

APPROVE, RETURN, REJECT = "approve", "return", "reject"
DECISIONS = (APPROVE, RETURN, REJECT)

#: Context flag of the workflow's own writes, which the guards let through.
WORKFLOW_WRITE = "learning_workflow_write"

#: Keys the workflow adds to shown datasets; never stored from input.
SHOWN_KEYS = ("learning_review",)

#: What a revision of a published resource never changes: it edits the
#: metadata; deleting, unpublishing, moving or retyping go through withdraw.
LOCKED_KEYS = ("state", "private", "owner_org", "type")


# ------------------------------------------------------------------ checks

def missing_metadata(pkg_dict: dict[str, Any]) -> dict[str, list[str]]:
    """What a submission lacks, as a validation error dict naming each field.

    Stricter than saving a draft: a draft may be incomplete, a submission
    must be publishable as it is.
    """
    errors: dict[str, list[str]] = {}
    schema = _schema(pkg_dict.get("type"))
    for field_name in ("title_translated", "notes_translated"):
        field = _field(schema, field_name)
        if field is None:
            continue
        values = languages.load(pkg_dict.get(field_name))
        given = [lang for lang, text in values.items() if languages.filled(text)]
        required = languages.required_languages(field, schema)
        if required:
            absent = [lang for lang in required if lang not in given]
            if absent:
                errors[field_name] = [tk._("Missing in: %s") % ", ".join(absent)]
        elif not given:
            errors[field_name] = [tk._("Write it in Khmer or English (or both).")]
    if not pkg_dict.get("themes"):
        errors["themes"] = [tk._("Choose at least one theme.")]
    if schema and _field(schema, "resource_type") and not pkg_dict.get("resource_type"):
        errors["resource_type"] = [tk._("Choose the type of resource.")]
    if not pkg_dict.get("license_id") or pkg_dict["license_id"] == "notspecified":
        errors["license_id"] = [tk._("Choose the licence others may use it under.")]
    if not any((r.get("url") or "").strip() for r in pkg_dict.get("resources") or []):
        errors["resources"] = [tk._("Add at least one file or link.")]
    return errors


def _schema(dataset_type: str | None) -> dict[str, Any] | None:
    try:
        return tk.h.scheming_get_dataset_schema(dataset_type or "dataset")
    except (AttributeError, KeyError):
        return None


def _field(schema: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    for field in (schema or {}).get("dataset_fields", []):
        if field["field_name"] == name:
            return field
    return None


# ------------------------------------------------------------------ datasets

def on_saved(context: dict[str, Any], package_id: str) -> None:
    """Keep the status in step with a save: public datasets are published;
    a reviewer making a published dataset private unpublishes it."""
    package = model.Package.get(package_id)
    if package is None:
        return
    user = states.user_of(context)
    status = states.status_of(package)
    if not package.private and status != states.PUBLISHED:
        states.set_status(package, states.PUBLISHED)
        if user is not None:
            states.record(package, user, "publish", status, states.PUBLISHED)
    elif package.private and status == states.PUBLISHED:
        states.set_status(package, states.DRAFT)
        if user is not None:
            states.record(package, user, "unpublish", status, states.DRAFT)
    elif model.Session.get(states.ReviewStatus, package.id) is None:
        states.set_status(package, status)


def submit(package: model.Package, user: model.User, comment: str,
           shown: Callable[[], dict[str, Any]]) -> tuple[str, Revision | None]:
    """Send a draft, a returned resource or the open revision of a
    published one to the reviewers; returns ``(status, revision)``."""
    status = states.status_of(package)
    revision = states.open_revision(package.id) if status == states.PUBLISHED else None
    if revision is not None and revision.status in states.SUBMITTABLE:
        _check_complete(revision.data.get("__shown__") or {})
        from_status = revision.status
        revision.status = states.PENDING
        states.record(package, user, "submit_revision", from_status,
                      states.PENDING, comment, revision, terms.acceptance())
        return states.PENDING, revision
    if status not in states.SUBMITTABLE:
        raise tk.ValidationError({"status": [_nothing_to_submit(status)]})
    _check_complete(shown())
    states.set_status(package, states.PENDING)
    states.record(package, user, "submit", status, states.PENDING, comment,
                  terms=terms.acceptance())
    return states.PENDING, None


def _nothing_to_submit(status: str) -> str:
    if status == states.PENDING:
        return tk._("It is already waiting for review.")
    if status == states.REJECTED:
        return tk._("A rejected resource cannot be submitted again.")
    return tk._("It is published and has no changes to submit.")


def _check_complete(pkg_dict: dict[str, Any]) -> None:
    errors = missing_metadata(pkg_dict)
    if errors:
        raise tk.ValidationError(errors)


def decide(package: model.Package, reviewer: model.User, decision: str,
           comment: str, context: dict[str, Any]) -> tuple[str, Revision | None]:
    """Apply a reviewer's decision to a pending submission or revision.

    Approving something not submitted is a reviewer publishing directly.
    """
    if decision not in DECISIONS:
        raise tk.ValidationError({"decision": [
            tk._("Choose one of: %s") % ", ".join(DECISIONS)]})
    if decision in (RETURN, REJECT) and not comment.strip():
        raise tk.ValidationError({"comment": [
            tk._("Say what needs to change (returning) or why (rejecting).")]})
    status = states.status_of(package)
    revision = states.open_revision(package.id) if status == states.PUBLISHED else None
    if revision is not None and revision.status == states.PENDING:
        return _decide_revision(package, reviewer, decision, comment, revision, context)
    if status == states.PUBLISHED:
        raise tk.ValidationError({"status": [tk._("Nothing is waiting for review.")]})
    if decision != APPROVE and status != states.PENDING:
        raise tk.ValidationError({"status": [
            tk._("Only a submitted resource can be returned or rejected.")]})
    if decision == APPROVE:
        _check_complete(tk.get_action("package_show")(
            _internal(context), {"id": package.id}))
        states.set_status(package, states.PUBLISHED)
        tk.get_action("package_patch")(_internal(context),
                                       {"id": package.id, "private": False})
        new_status = states.PUBLISHED
    else:
        new_status = states.RETURNED if decision == RETURN else states.REJECTED
        states.set_status(package, new_status)
    states.record(package, reviewer, decision, status, new_status, comment)
    return new_status, None


def _locked_values(package: model.Package) -> dict[str, Any]:
    """The published dataset's values of :data:`LOCKED_KEYS`."""
    return {"state": package.state, "private": False,
            "owner_org": package.owner_org, "type": package.type}


def _decide_revision(package: model.Package, reviewer: model.User, decision: str,
                     comment: str, revision: Revision,
                     context: dict[str, Any]) -> tuple[str, Revision]:
    if decision == APPROVE:
        changes = {k: v for k, v in revision.data.items() if k != "__shown__"}
        # metadata only, whatever was stored (revisions from before the check too)
        changes.update(_locked_values(package), id=package.id)
        tk.get_action("package_update")(_internal(context), changes)
        revision.status = states.APPROVED
    else:
        revision.status = states.RETURNED if decision == RETURN else states.REJECTED
    states.record(package, reviewer, f"{decision}_revision", states.PENDING,
                  revision.status, comment, revision)
    return revision.status, revision


def withdraw(package: model.Package, user: model.User, comment: str,
             context: dict[str, Any]) -> str:
    """Take a submission back, or unpublish: back to a private draft."""
    status = states.status_of(package)
    if status not in (states.PENDING, states.PUBLISHED, states.RETURNED):
        raise tk.ValidationError({"status": [tk._("There is nothing to withdraw.")]})
    states.set_status(package, states.DRAFT)
    if not package.private:
        tk.get_action("package_patch")(_internal(context),
                                       {"id": package.id, "private": True})
    revision = states.open_revision(package.id)
    if revision is not None:
        revision.status = "withdrawn"
    states.record(package, user, "withdraw", status, states.DRAFT, comment)
    return states.DRAFT


def _internal(context: dict[str, Any]) -> dict[str, Any]:
    """A context for the workflow's own writes: the acting user's, marked so
    the guards let it through.  Not ``defer_commit``: CKAN 2.12's
    ``package_update`` rolls its changes back under it.  The status set
    before is committed with the write; the caller rolls back on error."""
    return {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"),
            "model": model, "session": model.Session, "ignore_auth": True,
            WORKFLOW_WRITE: True}


# ------------------------------------------------------------------ revisions

def refuse_non_metadata_changes(package: model.Package,
                                data_dict: dict[str, Any]) -> None:
    """A revision changes metadata only: refuse one that would delete the
    published dataset, move it to another organisation or change its type;
    then pin :data:`LOCKED_KEYS` to the published values (visibility is the
    review's to decide, as for drafts).

    :raises ckan.plugins.toolkit.ValidationError: naming each such field
    """
    current = _locked_values(package)
    errors = {}
    for key in ("state", "owner_org", "type"):
        value = data_dict.get(key)
        if value in (None, "") or value == current[key]:
            continue
        if key == "owner_org":
            org = model.Group.get(value)
            if org is not None and org.id == package.owner_org:
                continue
        errors[key] = [tk._(
            "Changes to a published resource are reviewed and can change its "
            "description only, not its state, organisation or type. Withdraw it "
            "to draft to do that.")]
    if errors:
        raise tk.ValidationError(errors)
    data_dict.update(current)


def save_revision(update: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
                  context: dict[str, Any], package: model.Package,
                  data_dict: dict[str, Any], user: model.User) -> dict[str, Any]:
    """Keep a contributor's edit of a published dataset as a revision.

    The edit is run through core's ``package_update`` inside a savepoint that
    is rolled back: it is validated exactly as a real update would be (errors
    come back at once, nothing is stored), and what it *would* show is kept
    to fill the edit form again, to check it on submit and to show reviewers.
    (Under ``defer_commit`` CKAN 2.12's ``package_update`` itself rolls its
    changes back and returns what it would have shown; the savepoint also
    covers the extensions' ``after_dataset_update`` writes.)
    """
    _refuse_new_files(data_dict)
    changes = _jsonable({k: v for k, v in data_dict.items() if k not in SHOWN_KEYS})
    savepoint = model.Session.begin_nested()
    try:
        shown = update(dict(context, defer_commit=True, return_id_only=False),
                       dict(data_dict))
    finally:
        if savepoint.is_active:  # core rolls the session back on invalid input
            savepoint.rollback()
    revision = states.open_revision(package.id)
    if revision is None:
        revision = Revision(package_id=package.id, user_id=user.id,
                            status=states.DRAFT, data={})
        model.Session.add(revision)
    elif revision.status == states.RETURNED:
        revision.status = states.DRAFT
    revision.user_id = user.id
    revision.data = dict(changes, __shown__=_jsonable(shown))
    model.Session.flush()
    states.record(package, user, "revise", states.PUBLISHED, states.PUBLISHED,
                  revision=revision)
    return shown


def _refuse_new_files(data_dict: dict[str, Any]) -> None:
    for resource in data_dict.get("resources") or []:
        upload = resource.get("upload")
        if upload is not None and upload != "" and not isinstance(upload, str):
            raise tk.ValidationError({"resources": [tk._(
                "This resource is published: new files cannot wait for review. "
                "Withdraw it to draft, change the files, then submit it again.")]})


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def revision_preview(revision: Revision) -> dict[str, Any]:
    return dict(revision.data.get("__shown__") or {})
