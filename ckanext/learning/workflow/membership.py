"""Requests to join an organisation: how a registered user becomes a
contributor without anyone creating organisations or members by hand.

A newcomer whose organisation is not on the platform asks for it: the
organisation is created *pending* (listed nowhere, nobody can add to it)
with a request to join it; a reviewer approves (the organisation becomes
active and the newcomer its admin) or declines (it is deleted).  Registered
users do not create organisations themselves
(``ckan.auth.user_create_organizations = false``)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.learning.fluent import languages
from ckanext.learning.workflow import names, notify, review, schema, states
from ckanext.learning.workflow.model import MembershipRequest, utcnow

__all__ = ["learning_membership_request_create", "learning_membership_request_list",
           "learning_membership_request_decide"]


def _acting_user(context: Context) -> model.User:
    user = states.user_of(context)
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first."))
    return user


def _organization(ref: str, pending: bool = False) -> model.Group:
    org = model.Group.get(ref or "")
    states_ok = ("active", "pending") if pending else ("active",)
    if org is None or not org.is_organization or org.state not in states_ok:
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return org


@tk.validator_args
def _request_schema(ignore_missing: Any, unicode_safe: Any, default: Any) -> Any:
    """An existing organisation, or the name of one to add (either language)."""
    return {"organization": [ignore_missing, unicode_safe],
            "new_organization_km": [default(""), unicode_safe],
            "new_organization_en": [default(""), unicode_safe],
            "new_organization_about": [default(""), unicode_safe],
            "message": [default(""), unicode_safe]}


def _new_organization(data_dict: DataDict) -> model.Group:
    """A pending organisation named as asked (its URL name from the name)."""
    from ckan.lib.munge import munge_title_to_name

    from ckanext.learning.library.romanise import romanise

    titles = {lang: data_dict[f"new_organization_{lang}"].strip()
              for lang in ("km", "en") if data_dict.get(f"new_organization_{lang}", "").strip()}
    if not titles:
        raise tk.ValidationError({"organization": [
            tk._("Choose your organisation, or give the name of the one to add.")]})
    base = munge_title_to_name(titles.get("en") or romanise(titles["km"]))[:60].strip("-")
    if len(base) < 2:
        base = "organisation"
    name, number = base, 1
    while model.Group.get(name) is not None:
        number += 1
        name = f"{base}-{number}"
    about = data_dict.get("new_organization_about", "")
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    created = tk.get_action("organization_create")(
        {"user": site["name"], "ignore_auth": True},
        {"name": name, "state": "pending", "title_translated": titles,
         "title": titles.get("en") or titles["km"],
         # what it does, in the language it was written in (the page's)
         "description_translated": {languages.ui_language(): about} if about else {}})
    return model.Group.get(created["id"])


def _request_dict(req: MembershipRequest) -> dict[str, Any]:
    user = model.User.get(req.user_id)
    org = model.Group.get(req.group_id)
    return {"id": req.id, "user": user.name if user else None,
            "user_display_name": user.display_name if user else None,
            "organization": org.name if org else None,
            "organization_title": _title(org) if org else None,
            "new_organization": bool(org and org.state == "pending"),
            "message": req.message, "status": req.status,
            "created": req.created.isoformat(),
            "decided": req.decided.isoformat() if req.decided else None}


def _title(org: model.Group) -> str:
    from ckanext.learning.library.portal import learning_organization_title

    return learning_organization_title({"id": org.id}) or org.display_name


@validate(_request_schema)
def learning_membership_request_create(context: Context,
                                       data_dict: DataDict) -> dict[str, Any]:
    """Ask to contribute for an organisation; its admins are told and
    decide.  One open request per user and organisation.  For an
    organisation not on the platform yet, give its name instead: it is
    added, pending, and the reviewers decide.

    :param organization: the organisation's id or name
    :type organization: string
    :param new_organization_km: the Khmer name of an organisation to add
    :type new_organization_km: string
    :param new_organization_en: its English name (one of the two is enough)
    :type new_organization_en: string
    :param new_organization_about: what it does (optional)
    :type new_organization_about: string
    :param message: who you are, for the admins (optional)
    :type message: string
    :returns: the request
    """
    tk.check_access("learning_membership_request_create", context, data_dict)
    user = _acting_user(context)
    if not data_dict.get("organization"):
        return _request_new_organization(user, data_dict)
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
    unreachable = notify.tell("membership_requested", _deciders(org), user,
                              comment=req.message, organization=org)
    model.repo.commit()
    return {**_request_dict(req),
            "mail_failed": names.unreachable_for(user, unreachable, "a request to join")}


def _deciders(org: model.Group) -> list[model.User]:
    """Who is told of a request to join: the organisation's admins; when
    none of them has an address (an organisation the site made, as the
    demo's are, has only the site user), the sysadmins too, who may decide
    any request."""
    admins = states.members(org.id, ("admin",))
    if any(admin.email for admin in admins):
        return admins
    ids = {admin.id for admin in admins}
    return admins + [user for user in states.sysadmins() if user.id not in ids]


def _request_new_organization(user: model.User, data_dict: DataDict) -> dict[str, Any]:
    org = _new_organization(data_dict)
    req = MembershipRequest(user_id=user.id, group_id=org.id, status="pending",
                            message=data_dict.get("message", ""))
    model.Session.add(req)
    about = data_dict.get("new_organization_about", "")
    unreachable = notify.tell(
        "membership_requested", states.reviewers(), user,
        comment="\n\n".join(t for t in (
            f"អង្គការថ្មី / New organisation: {_title(org)}", about, req.message) if t),
        organization=org)
    model.repo.commit()
    return {**_request_dict(req), "mail_failed": names.unreachable_for(
        user, unreachable, "a request for a new organisation")}


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
    :type mine: bool
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
            orgs = [o["id"] for o in tk.get_action("organization_list_for_user")(
                {"user": user.name}, {"permission": "membership"})]
            if states.is_reviewer(user):  # and the organisations asked for
                orgs += [g.id for g in model.Session.query(model.Group.id).filter(
                    model.Group.state == "pending", model.Group.is_organization)]
            query = query.filter(MembershipRequest.group_id.in_(orgs))
    return [_request_dict(r) for r in query.order_by(MembershipRequest.created)]


@validate(schema.membership_decision)
def learning_membership_request_decide(context: Context,
                                       data_dict: DataDict) -> dict[str, Any]:
    """Accept a request to join (the user becomes an editor, or the given
    capacity) or decline it; the user is told.

    :param id: the request's id
    :type id: string
    :param decision: ``approve`` or ``reject``
    :type decision: string
    :param capacity: ``editor`` (default) or ``member``
    :type capacity: string
    :returns: the request
    """
    req = model.Session.get(MembershipRequest, data_dict["id"])
    if req is None:
        raise tk.ObjectNotFound(tk._("Request not found"))
    org = _organization(req.group_id, pending=True)
    if org.state == "pending":  # an organisation to add: the reviewers decide
        if not states.is_reviewer(states.user_of(context)):
            raise tk.NotAuthorized(tk._("Only reviewers can add an organisation."))
    else:
        tk.check_access("learning_membership_request_decide", context,
                        dict(data_dict, organization=req.group_id))
    if req.status != "pending":
        raise tk.ValidationError({"id": [tk._("This request was already decided.")]})
    admin = _acting_user(context)
    applicant = model.User.get(req.user_id)
    new = org.state == "pending"
    if data_dict["decision"] == review.APPROVE:
        if new:
            org.state = "active"
        tk.get_action("organization_member_create")(
            {"user": admin.name, "defer_commit": True, "ignore_auth": new},
            {"id": org.id, "username": applicant.name,
             "role": "admin" if new else (data_dict.get("capacity") or "editor")})
        req.status = "approved"
    else:
        if new:
            org.state = "deleted"
        req.status = "rejected"
    req.decided_by = admin.id
    req.decided = utcnow()
    unreachable = notify.tell(f"membership_{req.status}", [applicant], admin,
                              organization=org)
    model.repo.commit()
    return {**_request_dict(req), "mail_failed": names.unreachable_for(
        admin, unreachable, "a decision on a request to join")}
