"""Who sees the outbox: the reviewers (as the review queue)."""
from __future__ import annotations

from ckan.types import AuthResult, Context, DataDict

from ckanext.learning.workflow import auth as workflow_auth

__all__ = ["learning_outbox_list"]


def learning_outbox_list(context: Context, data_dict: DataDict) -> AuthResult:
    return workflow_auth.learning_review_queue(context, data_dict)
