"""Requests to join an organisation: how a registered user becomes a
contributor without anyone creating organisations or members by hand."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.learning.workflow import notify, review, schema, states
from ckanext.learning.workflow.model import MembershipRequest, utcnow

__all__ = ["learning_membership_request_create", "learning_membership_request_list",
           "learning_membership_request_decide"]


def _acting_user(context: Context) -> model.User:
    user = states.user_of(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first."))
    return user


def _organization(ref: str) -> model.Group:
    org = model.Group.get(ref or "")
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return org


def _request_dict(req: MembershipRequest) -> dict[str, Any]:
    user = model.User.get(req.user_id)
    org = model.Group.get(req.group_id)
    return {"id": req.id, "user": user.name if user else None,
            "user_display_name": user.display_name if user else None,
            "organization": org.name if org else None,
            "organization_title": org.display_name if org else None,
            "message": req.message, "status": req.status,
            "created": req.created.isoformat(),
            "decided": req.decided.isoformat() if req.decided else None}


@validate(schema.membership_request)
def learning_membership_request_create(context: Context,
                                       data_dict: DataDict) -> dict[str, Any]:
    """Ask to contribute for an organisation; its admins are told and
    decide.  One open request per user and organisation.

    :param organization: the organisation's id or name
    :param message: who you are, for the admins (optional)
    :returns: the request
    """
    tk.check_access("learning_membership_request_create", context, data_dict)
    user = _acting_user(context)
    org = _organization(data_dict["organization"])
    capacity = _capacity(user, org)
    if capacity in ("admin", "editor"):
        raise tk.ValidationError({"organization": [
            tk._("You can already contribute for this organisation.")]})
    open_request = (model.Session.query(MembershipRequest)
                    .filter_by(user_id=user.id, group_id=org.id, status="pending")
                    .first())
    if open_request is not None:
        raise tk.ValidationError({"organization": [
            tk._("Your request to join this organisation is waiting for its admins.")]})
    req = MembershipRequest(user_id=user.id, group_id=org.id, status="pending",
                            message=data_dict.get("message", ""))
    model.Session.add(req)
    model.repo.commit()
    result = _request_dict(req)
    result["mail_failed"] = notify.tell(
        "membership_requested", states.members(org.id, ("admin",)), user,
        comment=req.message, organization=org)
    return result


def _capacity(user: model.User, org: model.Group) -> str | None:
    member = (model.Session.query(model.Member)
              .filter_by(group_id=org.id, table_id=user.id, table_name="user",
                         state="active").first())
    return member.capacity if member is not None else None


@tk.side_effect_free
def learning_membership_request_list(context: Context,
                                     data_dict: DataDict) -> list[dict[str, Any]]:
    """Open requests to join the organisations one administers (all of them
    for sysadmins); with ``mine``, one's own requests instead.

    :param mine: list the requests you made (optional, default false)
    :returns: list of requests, oldest first
    """
    tk.check_access("learning_membership_request_list", context, data_dict)
    user = _acting_user(context)
    query = model.Session.query(MembershipRequest)
    if tk.asbool(data_dict.get("mine")):
        query = query.filter(MembershipRequest.user_id == user.id)
    else:
        query = query.filter(MembershipRequest.status == "pending")
        if not user.sysadmin:
            orgs = tk.get_action("organization_list_for_user")(
                {"user": user.name}, {"permission": "membership"})
            query = query.filter(MembershipRequest.group_id.in_([o["id"] for o in orgs]))
    return [_request_dict(r) for r in query.order_by(MembershipRequest.created)]


@validate(schema.membership_decision)
def learning_membership_request_decide(context: Context,
                                       data_dict: DataDict) -> dict[str, Any]:
    """Accept a request to join (the user becomes an editor, or the given
    capacity) or decline it; the user is told.

    :param id: the request's id
    :param decision: ``approve`` or ``reject``
    :param capacity: ``editor`` (default) or ``member``
    :returns: the request
    """
    req = model.Session.get(MembershipRequest, data_dict["id"])
    if req is None:
        raise tk.ObjectNotFound(tk._("Request not found"))
    tk.check_access("learning_membership_request_decide", context,
                    dict(data_dict, organization=req.group_id))
    if req.status != "pending":
        raise tk.ValidationError({"id": [tk._("This request was already decided.")]})
    admin = _acting_user(context)
    org = _organization(req.group_id)
    applicant = model.User.get(req.user_id)
    if data_dict["decision"] == review.APPROVE:
        tk.get_action("organization_member_create")(
            {"user": admin.name, "defer_commit": True},
            {"id": org.id, "username": applicant.name,
             "role": data_dict.get("capacity") or "editor"})
        req.status = "approved"
    else:
        req.status = "rejected"
    req.decided_by = admin.id
    req.decided = utcnow()
    model.repo.commit()
    result = _request_dict(req)
    result["mail_failed"] = notify.tell(f"membership_{req.status}", [applicant], admin,
                                        organization=org)
    return result
