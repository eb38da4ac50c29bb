"""``learning_most_downloaded``: the records people download most."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.learning.downloads import counting
from ckanext.learning.security import inputs

__all__ = ["learning_most_downloaded"]

MAX_LIMIT = 100


@tk.side_effect_free
def learning_most_downloaded(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The records with the most downloads (of all their files and links),
    most first, among those the caller may see (published ones for a
    visitor).  Each is as ``package_search`` returns it, with
    ``download_count``, its total.

    :param limit: how many (default 6, at most 100)
    :type limit: int
    :returns: a list of dataset dictionaries
    """
    tk.check_access("learning_most_downloaded", context, data_dict)
    limit = inputs.limit_of(data_dict, default=6, maximum=MAX_LIMIT)
    # a few more than asked: some of the most downloaded may be hidden
    candidates = counting.most_downloaded_ids(limit * 3)
    if not candidates:
        return []
    found = tk.get_action("package_search")(dict(context), {
        "fq": "id:(" + " OR ".join(f'"{i}"' for i in candidates) + ")",
        "rows": len(candidates), "include_private": False})["results"]
    by_id = {p["id"]: p for p in found}
    ordered = [by_id[i] for i in candidates if i in by_id][:limit]
    for package in ordered:
        counting.add_counts(package)
    return ordered
