"""Review statuses, who reviews, and the audit trail.

Unpublished means *private*: CKAN's own visibility (permission labels) then
keeps drafts and everything under review out of every list, search, feed,
activity stream, DCAT document and download, with no surface to patch one by
one.  The status says why a private dataset is private; only the workflow
actions change it (see ``workflow/action.py``).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.authz as authz
import ckan.model as model

from ckanext.learning import config
from ckanext.learning.workflow.model import ReviewEvent, ReviewStatus, Revision, utcnow

DRAFT = "draft"
PENDING = "pending"
RETURNED = "returned"
REJECTED = "rejected"
PUBLISHED = "published"
STATUSES = (DRAFT, PENDING, RETURNED, REJECTED, PUBLISHED)

#: A contributor may submit from these; a reviewer decides on ``PENDING``.
SUBMITTABLE = (DRAFT, RETURNED)
#: Statuses the reviewers can see although the dataset is private.
UNDER_REVIEW = (PENDING, RETURNED, REJECTED)

#: Revision statuses; ``OPEN_REVISION`` ones take the contributor's next edit.
OPEN_REVISION = (DRAFT, PENDING, RETURNED)
APPROVED = "approved"

#: Permission label carried by datasets under review, held by reviewers.
REVIEW_LABEL = "learning-review"


# ------------------------------------------------------------------ reviewers

def user_of(context: Any) -> model.User | None:
    """The user an action's context acts as (``auth_user_obj`` when core has
    set it, else looked up by name); None for anonymous and site callers
    without a name."""
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def is_reviewer(user: Any) -> bool:
    """Sysadmins, the configured reviewers, and admins of the configured
    reviewer organisations (ODC's data managers)."""
    user_obj = user if isinstance(user, model.User) else (
        model.User.get(user) if user else None)
    if user_obj is None or user_obj.state != "active":
        return False
    if user_obj.sysadmin or user_obj.name in config.review_reviewers():
        return True
    for org_ref in config.review_reviewer_organizations():
        org = model.Group.get(org_ref)
        if org is not None and org.is_organization and authz.has_user_permission_for_group_or_org(
                org.id, user_obj.name, "admin"):
            return True
    return False


def reviewers() -> list[model.User]:
    """Every active reviewer, to notify; sysadmins included, but not CKAN's
    site user (the portal's own account, a sysadmin with no address: no
    person to tell)."""
    found: dict[str, model.User] = {user.id: user for user in sysadmins()}
    query = _people()
    names = config.review_reviewers()
    if names:
        for user in query.filter(model.User.name.in_(names)):
            found[user.id] = user
    for org_ref in config.review_reviewer_organizations():
        org = model.Group.get(org_ref)
        if org is not None:
            found.update((user.id, user) for user in members(org.id, ("admin",)))
    return list(found.values())


def sysadmins() -> list[model.User]:
    """Active sysadmins who are people (not the site user)."""
    return _people().filter(model.User.sysadmin.is_(True)).all()


def members(organization_id: str, capacities: Iterable[str]) -> list[model.User]:
    """Active people holding one of ``capacities`` in an organisation (not
    the site user, which is admin of the organisations it made)."""
    return (_people()
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == organization_id,
                    model.Member.table_name == "user",
                    model.Member.capacity.in_(tuple(capacities)),
                    model.Member.state == "active").all())


def _people() -> Any:
    """Active users who are people: CKAN's site user (named after
    ``ckan.site_id``, a sysadmin with no address) is the portal itself."""
    return model.Session.query(model.User).filter(
        model.User.state == "active", model.User.name != config.site_id())


# ------------------------------------------------------------------ status

def status_of(package: model.Package) -> str:
    """The review status; datasets from before the workflow (harvested,
    imported, created by CKAN's own tools) read as their visibility says."""
    row = model.Session.get(ReviewStatus, package.id)
    if row is not None:
        return row.status
    return DRAFT if package.private else PUBLISHED


def statuses_of(package_ids: Iterable[str]) -> dict[str, str]:
    ids = list(package_ids)
    if not ids:
        return {}
    rows = model.Session.query(ReviewStatus).filter(ReviewStatus.package_id.in_(ids))
    return {row.package_id: row.status for row in rows}


def set_status(package: model.Package, status: str) -> None:
    row = model.Session.get(ReviewStatus, package.id)
    if row is None:
        row = ReviewStatus(package_id=package.id, status=status)
        model.Session.add(row)
    else:
        row.status = status
        row.modified = utcnow()
    model.Session.flush()


def record(package: model.Package, user: model.User, action: str,
           from_status: str | None, to_status: str, comment: str = "",
           revision: Revision | None = None,
           terms: dict[str, Any] | None = None) -> ReviewEvent:
    """Append a line to the dataset's audit trail."""
    event = ReviewEvent(
        package_id=package.id, user_id=user.id, action=action,
        from_status=from_status, to_status=to_status, comment=comment or "",
        revision_id=revision.id if revision is not None else None,
        terms_version=(terms or {}).get("version"),
        terms_text=(terms or {}).get("accepted_text"))
    model.Session.add(event)
    model.Session.flush()
    return event


def history(package_id: str) -> list[ReviewEvent]:
    return (model.Session.query(ReviewEvent)
            .filter(ReviewEvent.package_id == package_id)
            .order_by(ReviewEvent.created, ReviewEvent.id).all())


# ------------------------------------------------------------------ revisions

def open_revision(package_id: str) -> Revision | None:
    """The edit of a published dataset still waiting to be decided."""
    return (model.Session.query(Revision)
            .filter(Revision.package_id == package_id,
                    Revision.status.in_(OPEN_REVISION))
            .order_by(Revision.created.desc()).first())


def pending_revisions() -> list[Revision]:
    return (model.Session.query(Revision)
            .filter(Revision.status == PENDING)
            .order_by(Revision.created).all())


# ------------------------------------------------------------------ labels

def dataset_labels(package: model.Package) -> list[str]:
    """Reviewers may read what is submitted, returned or rejected; a draft
    stays the organisation's own until it is submitted."""
    if package.state == "active" and package.private and \
            status_of(package) in UNDER_REVIEW:
        return [REVIEW_LABEL]
    return []


def user_labels(user: model.User | None) -> list[str]:
    return [REVIEW_LABEL] if user is not None and not user.is_anonymous and \
        is_reviewer(user) else []
