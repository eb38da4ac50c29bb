"""Where core's own actions meet the workflow.

Contributors create and edit through CKAN's ordinary actions (the web form,
``ckanapi``, ``package_patch``...); these chained actions make sure none of
them publishes anything: a contributor's dataset stays private whatever the
request says, and an edit of a published dataset is kept as a revision.
Reviewers pass through, and the status follows what they do.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.plugins import get_permission_labels
from ckan.types import Action, AuthFunction, Context, DataDict

from ckanext.learning.downloads.counting import DOWNLOAD_COUNT
from ckanext.learning.workflow import review, states, upload_hooks


def _trusted(context: Context, user: model.User | None) -> bool:
    """The workflow's own writes, reviewers, and site-level callers (CLI,
    harvesters run as the site user) act without review."""
    if context.get(review.WORKFLOW_WRITE):
        return True
    if user is None:
        return bool(context.get("ignore_auth"))
    return states.is_reviewer(user)


def may_edit(user: model.User, package: model.Package) -> bool:
    try:
        tk.check_access("package_update", {"user": user.name, "auth_user_obj": user},
                        {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def _strip_shown(data_dict: DataDict) -> None:
    """What ``package_show`` adds (review status, download counts) is never
    stored from input: a shown record sent back as it is saves as it was."""
    for key in (*review.SHOWN_KEYS, DOWNLOAD_COUNT):
        data_dict.pop(key, None)
    for resource in data_dict.get("resources") or []:
        if isinstance(resource, dict):
            resource.pop(DOWNLOAD_COUNT, None)


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """A contributor's new dataset is a private draft; its links and
    mimetypes are checked.  See core ``package_create`` for the parameters."""
    _strip_shown(data_dict)
    upload_hooks.validate_dataset_uploads(data_dict)
    user = states.user_of(context)
    if not _trusted(context, user):
        data_dict["private"] = True
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Uploads are checked by content first; a contributor cannot make a
    dataset public, cannot change what waits for review, and their edit of a
    published one waits for review as a revision (the published version is
    returned unchanged).  See core ``package_update`` for the parameters."""
    _strip_shown(data_dict)
    upload_hooks.validate_dataset_uploads(data_dict)
    user = states.user_of(context)
    package = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is None or _trusted(context, user):
        return up_func(context, data_dict)
    context["package"] = package  # as core does: its groups need no re-check
    tk.check_access("package_update", context, data_dict)
    refuse_while_pending(package)
    if states.status_of(package) == states.PUBLISHED and not package.private:
        assert user is not None  # check_access refuses anonymous edits
        review.refuse_non_metadata_changes(package, data_dict)
        review.save_revision(up_func, context, package, data_dict, user)
        if not context.get("defer_commit"):
            model.repo.commit()
        if context.get("return_id_only"):
            return package.id
        return tk.get_action("package_show")(
            {"user": context.get("user"), "auth_user_obj": user},
            {"id": package.id})
    data_dict["private"] = True
    return up_func(context, data_dict)


def waiting_for_review(package: model.Package) -> bool:
    """Whether the dataset, or the open revision of a published one, is
    submitted and not yet decided."""
    if states.status_of(package) == states.PENDING:
        return True
    revision = states.open_revision(package.id)
    return revision is not None and revision.status == states.PENDING


def refuse_while_pending(package: model.Package) -> None:
    """What waits for review is read-only to its contributors until it is
    returned or withdrawn (reviewers are let through before this)."""
    if waiting_for_review(package):
        raise tk.ValidationError({"status": [tk._(
            "This resource is waiting for review and cannot be changed. "
            "Withdraw it to make changes, then submit it again.")]})


def _refuse_resource_change(context: Context, package_id: str) -> None:
    """Files of published datasets change through review; nothing changes
    while it waits for review.  Callers who may not edit the dataset are
    left to core's refusal."""
    user = states.user_of(context)
    package = model.Package.get(package_id)
    if package is None or _trusted(context, user):
        return
    if user is not None and may_edit(user, package):
        refuse_while_pending(package)
    if not package.private and states.status_of(package) == states.PUBLISHED:
        raise tk.ValidationError({"resources": [tk._(
            "This resource is published: its files change through review. "
            "Edit its description to propose changes, or withdraw it to draft, "
            "change the files, then submit it again.")]})


@tk.chained_action
def resource_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """See core ``resource_create``; files of published datasets change
    through review, and nothing while it waits for review."""
    _refuse_resource_change(context, data_dict.get("package_id", ""))
    return up_func(context, data_dict)


def _package_of_resource(data_dict: DataDict) -> str:
    resource = model.Resource.get(data_dict.get("id") or "")
    return resource.package_id if resource is not None else ""


@tk.chained_action
def resource_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """See core ``resource_update``; files of published datasets change
    through review, and nothing while it waits for review."""
    _refuse_resource_change(context, _package_of_resource(data_dict))
    return up_func(context, data_dict)


@tk.chained_action
def resource_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """See core ``resource_delete``; files of published datasets change
    through review, and nothing while it waits for review."""
    _refuse_resource_change(context, _package_of_resource(data_dict))
    return up_func(context, data_dict)


@tk.chained_action
def package_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """See core ``package_delete``; what waits for review cannot be deleted
    by its contributors (they withdraw it first)."""
    user = states.user_of(context)
    package = model.Package.get(data_dict.get("id") or "")
    if package is not None and not _trusted(context, user) and user is not None \
            and may_edit(user, package):
        refuse_while_pending(package)
    return up_func(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def package_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Adds ``learning_review`` (status, and an open revision's status) for
    those who may edit or review; the edit form gets the open revision's
    content, so a contributor continues where they left off."""
    result = up_func(context, data_dict)
    if context.get("return_id_only") or not isinstance(result, dict):
        return result
    package = model.Package.get(result.get("id", ""))
    user = states.user_of(context)
    # reviewers pass may_edit too (see package_update_auth)
    if package is None or user is None or not may_edit(user, package):
        return result
    revision = states.open_revision(package.id)
    if context.get("for_edit") and revision is not None:
        result = dict(review.revision_preview(revision), id=package.id)
    result["learning_review"] = {
        "status": states.status_of(package),
        "revision": revision.status if revision is not None else None,
    }
    return result


@tk.side_effect_free
@tk.chained_action
def member_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Core lists a group's datasets from the membership table, private ones
    included: keep only those the caller may see.  See core ``member_list``."""
    members = up_func(context, data_dict)
    package_ids = [m[0] for m in members if m[1] == "package"]
    if not package_ids:
        return members
    user = states.user_of(context)
    visible = set(package_ids) - _hidden(package_ids, user)
    return [m for m in members if m[1] != "package" or m[0] in visible]


def _hidden(package_ids: list[str], user: model.User | None) -> set[str]:
    """Which of these datasets the user may not read (permission labels)."""
    labels = get_permission_labels()
    user_labels = set(labels.get_user_dataset_labels(user))
    hidden = set()
    for package in model.Session.query(model.Package).filter(
            model.Package.id.in_(package_ids)):
        if not user_labels.intersection(labels.get_dataset_labels(package)):
            hidden.add(package.id)
    return hidden


@tk.side_effect_free
@tk.chained_action
def format_autocomplete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Core suggests formats from every resource, private datasets' too, and
    aggregates them so its answer cannot be filtered afterwards: this
    replaces its query with one over published, active datasets only.
    See core ``format_autocomplete`` for the parameters."""
    query = tk.get_or_bust(data_dict, "q")
    limit = int(data_dict.get("limit", 5))
    tk.check_access("format_autocomplete", context, data_dict)
    rows = (model.Session.query(model.Resource.format,
                                sa.func.count(model.Resource.format).label("total"))
            .join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active",
                    model.Package.state == "active",
                    model.Package.private.is_(False),
                    model.Resource.format.ilike(f"%{query}%"))
            .group_by(model.Resource.format)
            .order_by(sa.text("total DESC"))
            .limit(limit))
    return [row[0].lower() for row in rows]


@tk.chained_auth_function
def bulk_update_public(next_auth: AuthFunction, context: Context,
                       data_dict: DataDict) -> Any:
    """Only reviewers publish, in bulk as one by one."""
    user = states.user_of(context)
    if user is None or not states.is_reviewer(user):
        return {"success": False,
                "msg": tk._("Only reviewers can publish resources.")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_update_auth(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict) -> Any:
    """Reviewers may correct any resource's metadata, as the terms say."""
    user = states.user_of(context)
    if user is not None and states.is_reviewer(user):
        return {"success": True}
    return next_auth(context, data_dict)


ACTIONS = {
    "package_create": package_create,
    "package_update": package_update,
    "package_delete": package_delete,
    "package_show": package_show,
    "member_list": member_list,
    "format_autocomplete": format_autocomplete,
    "resource_create": resource_create,
    "resource_update": resource_update,
    "resource_delete": resource_delete,
}
AUTH = {"bulk_update_public": bulk_update_public, "package_update": package_update_auth}
