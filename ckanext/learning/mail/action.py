"""What the outbox holds, for the reviewers (``learning_outbox_list``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.learning.mail import outbox
from ckanext.learning.security import inputs

__all__ = ["learning_outbox_list"]


@tk.side_effect_free
def learning_outbox_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Mail not delivered yet, oldest first: to whom, what about, how many
    tries, the last error and when it is tried next.  Reviewers only (the
    addresses are not shown).

    :param limit: at most this many (default 100)
    :type limit: int
    :returns: a list of ``{"id", "recipient", "subject", "created",
        "attempts", "next_attempt", "last_error", "sent"}``
    """
    tk.check_access("learning_outbox_list", context, data_dict)
    limit = inputs.limit_of(data_dict, default=100, maximum=1000)
    return [mail.as_dict() for mail in outbox.undelivered(limit)]
