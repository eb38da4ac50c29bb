"""Template helpers of the contribution workflow (registered by toolkit.blanket)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from flask import g, has_request_context
from markupsafe import Markup, escape

from ckanext.learning.fluent import languages
from ckanext.learning.workflow import N_, names, states, terms

__all__ = ["learning_review_panel", "learning_status_label", "learning_terms_text",
           "learning_is_reviewer",
           # core's helper, chained (tk.chained_helper)
           "linked_user"]


#: Status and audit-trail action names as shown on pages.
STATUS_LABELS = {
    "draft": N_("Draft"), "pending": N_("Waiting for review"),
    "returned": N_("Returned for changes"), "rejected": N_("Not accepted"),
    "published": N_("Published"), "approved": N_("Approved"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_LABELS = {
    "submit": N_("Submitted"), "approve": N_("Approved and published"),
    "return": N_("Returned for changes"), "reject": N_("Rejected"),
    "withdraw": N_("Withdrawn to draft"), "publish": N_("Published"),
    "unpublish": N_("Made private"), "revise": N_("Changes saved (not yet submitted)"),
    "submit_revision": N_("Changes submitted"), "approve_revision": N_("Changes approved"),
    "return_revision": N_("Changes returned"), "reject_revision": N_("Changes rejected"),
}


def learning_status_label(status: str | None) -> str:
    """A status (or audit action) in the page's language."""
    label = STATUS_LABELS.get(status or "") or ACTION_LABELS.get(status or "")
    return tk._(label) if label else (status or "")


def learning_is_reviewer() -> bool:
    return tk.current_user.is_authenticated and states.is_reviewer(tk.current_user)


def _viewer_sees_reviewers() -> bool:
    """Whether whoever this page is for may see reviewers' names (once per
    request: a stream calls ``linked_user`` for each line)."""
    if not has_request_context():
        return True  # a command or a job: nobody is looking
    if "learning_sees_reviewers" not in g:
        g.learning_sees_reviewers = (tk.current_user.is_authenticated
                                     and names.sees_reviewers(tk.current_user))
    return g.learning_sees_reviewers


@tk.chained_helper
def linked_user(next_helper: Any, user: Any, maxlength: int = 0,
                avatar: int = 20) -> Any:
    """Core's link to a user's page, except that to anyone but a reviewer a
    reviewer is "a reviewer", without name or link: activity streams and
    their changes, member lists, the user list (``workflow/names.py``)."""
    if not _viewer_sees_reviewers():
        user_obj = user if isinstance(user, model.User) else model.User.get(str(user))
        if user_obj is not None and states.is_reviewer(user_obj):
            return Markup('<span class="learning-reviewer">%s</span>') % escape(
                tk._("A reviewer"))
    return next_helper(user, maxlength, avatar)


def learning_terms_text() -> str:
    return terms.text_in(languages.ui_language())


def learning_review_panel(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """What the review panel of a resource page shows to the current user:
    None for those who may not see the review (visitors, other CSOs)."""
    if not tk.current_user.is_authenticated:
        return None
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        history = tk.get_action("learning_review_history")(context, {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    status, revision = history["status"], history["revision"]
    reviewer = states.is_reviewer(tk.current_user)
    may_edit = tk.h.check_access("learning_submit", {"id": pkg["id"]})
    can_submit = may_edit and (status in states.SUBMITTABLE or (
        status == states.PUBLISHED and revision in states.SUBMITTABLE))
    pending = status == states.PENDING or revision == states.PENDING
    return {
        **history,
        "events": list(reversed(history["events"])),
        "can_submit": can_submit,
        "can_decide": reviewer and (pending or status in states.SUBMITTABLE),
        "decide_choices": ["approve", "return", "reject"] if pending else ["approve"],
        "can_withdraw": may_edit and status in (states.PENDING, states.PUBLISHED,
                                                states.RETURNED),
        "is_reviewer": reviewer,
    }
