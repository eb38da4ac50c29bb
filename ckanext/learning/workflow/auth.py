"""Who may do what in the contribution workflow."""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.learning.workflow import action, membership, states

#: One auth function per action, by the same name.
__all__ = [*action.__all__, *membership.__all__]


def _refuse(msg: str) -> AuthResult:
    return {"success": False, "msg": msg}


def _may_edit(context: Context, data_dict: DataDict) -> bool:
    return authz.is_authorized_boolean(
        "package_update", context, {"id": data_dict.get("id")})


def learning_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors and admins of the resource's organisation (and reviewers)."""
    if _may_edit(context, data_dict):
        return {"success": True}
    return _refuse(tk._("Only the resource's organisation can submit it."))


def learning_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return learning_submit(context, data_dict)


def learning_review(context: Context, data_dict: DataDict) -> AuthResult:
    if states.is_reviewer(states.user_of(context)):
        return {"success": True}
    return _refuse(tk._("Only reviewers can approve, return or reject."))


def learning_review_queue(context: Context, data_dict: DataDict) -> AuthResult:
    return learning_review(context, data_dict)


@tk.auth_disallow_anonymous_access
def learning_my_submissions(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def learning_review_history(context: Context, data_dict: DataDict) -> AuthResult:
    """The organisation's editors and the reviewers see the whole trail."""
    if states.is_reviewer(states.user_of(context)) or _may_edit(context, data_dict):
        return {"success": True}
    return _refuse(tk._("Only the resource's organisation and the reviewers "
                        "can see its review history."))


@tk.auth_allow_anonymous_access
def learning_terms_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_disallow_anonymous_access
def learning_membership_request_create(context: Context,
                                       data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_disallow_anonymous_access
def learning_membership_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def learning_membership_request_decide(context: Context,
                                       data_dict: DataDict) -> AuthResult:
    """The organisation's admins (and sysadmins) decide who joins it."""
    user = states.user_of(context)
    org: Any = data_dict.get("organization")
    if user is not None and org and authz.has_user_permission_for_group_or_org(
            org, user.name, "membership"):
        return {"success": True}
    return _refuse(tk._("Only the organisation's admins can decide who joins it."))
