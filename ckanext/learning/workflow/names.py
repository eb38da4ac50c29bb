"""Whose names a user may be shown.

Contributors and newcomers deal with "the reviewers" (ODC), never with a
reviewer by name: a decision is the platform's, not one person's, and
reviewers' accounts are not to be looked up and written to directly.  So
to anyone who is not a reviewer, a reviewer is "a reviewer" on every page
(the audit trail, activity streams, member lists: ``h.linked_user``), in
every mail (``notify.MESSAGES``) and in every answer of the workflow's
actions (``mail_failed``).  Reviewers see everybody's names.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import ckan.model as model

from ckanext.learning.workflow import states

log = logging.getLogger(__name__)

#: Audit-trail actions only a reviewer takes.
REVIEWER_ACTIONS = frozenset({
    "approve", "return", "reject", "approve_revision", "return_revision",
    "reject_revision", "publish", "unpublish"})


def sees_reviewers(viewer: Any) -> bool:
    """Whether ``viewer`` (a user, a name, or None) may see reviewers' names."""
    return states.is_reviewer(viewer)


def hidden_actor(action: str, actor: model.User | None) -> bool:
    """Whether an audit-trail line is a reviewer's (shown as "a reviewer")."""
    return action in REVIEWER_ACTIONS or (actor is not None and states.is_reviewer(actor))


def unreachable_for(viewer: Any, names: Iterable[str], event: str) -> list[str]:
    """Who could not be mailed (no address), as ``viewer`` may be told: by
    name to a reviewer, not at all to anyone else (those to tell are the
    reviewers or an organisation's admins).  Always logged for operators."""
    names = list(names)
    if names:
        log.warning("Mail about %s reaches nobody at %s: no email address",
                    event, ", ".join(names))
    return names if sees_reviewers(viewer) else []
