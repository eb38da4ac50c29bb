"""``learning_suggest``: what the search box proposes as someone types."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels

from ckanext.learning.suggest import index

__all__ = ["learning_suggest"]

#: Shortest and longest prefix, most suggestions asked for.
MIN_LENGTH, MAX_LENGTH, MAX_LIMIT = 2, 100, 20
#: Record suggestions looked at for each one returned (some are not visible).
_OVERSAMPLE = 4


def _validate(data_dict: dict[str, Any]) -> tuple[str, int, str]:
    q = data_dict.get("q")
    errors: dict[str, list[str]] = {}
    if not isinstance(q, str) or "\x00" in q:
        errors["q"] = [tk._("Type some text to get suggestions.")]
    else:
        q = index.fold(q)
        if len(q) < MIN_LENGTH:
            errors["q"] = [tk._("Type at least two characters to get suggestions.")]
        elif len(q) > MAX_LENGTH:
            errors["q"] = [tk._("Type at most 100 characters to get suggestions.")]
    try:
        limit = int(data_dict.get("limit", 8))
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError
    except (TypeError, ValueError):
        errors["limit"] = [tk._("The number of suggestions must be from 1 to 20.")]
        limit = 0
    lang = data_dict.get("lang") or _page_language()
    if lang not in ("en", "km"):
        errors["lang"] = [tk._("The language must be en or km.")]
    if errors:
        raise tk.ValidationError(errors)
    return q, limit, lang


def _page_language() -> str:
    try:
        return tk.h.lang() or "en"
    except RuntimeError:  # no request (a command, a job)
        return "en"


def _title(entry: index.Entry, lang: str) -> str:
    titles = entry.titles
    return (titles.get(lang) or titles.get("en") or titles.get("km")
            or titles.get("") or entry.name)


@tk.side_effect_free
def learning_suggest(context: dict[str, Any], data_dict: dict[str, Any]
                     ) -> list[dict[str, Any]]:
    """Suggestions for what someone is typing in a search box.

    Records' titles (only those the user may read: never a private, draft,
    deleted or in-review record to someone who may not see it), tags,
    themes and organisations whose words start with ``q``, in both
    scripts, Khmer from the first two characters.

    :param q: what has been typed (2 to 100 characters)
    :type q: string
    :param limit: most suggestions to return (1-20, default 8)
    :type limit: int
    :param lang: language of the titles returned, ``en`` or ``km``
        (default: the page's language); a missing title falls back to the
        other language
    :type lang: string
    :returns: suggestions, each ``{"type": "dataset"|"tag"|"theme"|
        "organization", "name": ..., "title": ..., "url": ...}``
    :rtype: list of dictionaries
    """
    tk.check_access("learning_suggest", context, data_dict)
    q, limit, lang = _validate(data_dict)
    session = model.Session
    suggest = index.suggest_index()
    suggest.refresh(session)
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    labels = get_permission_labels().get_user_dataset_labels(user)
    others = suggest.candidates(q, "others", limit, public_only=False)
    records = suggest.candidates(q, "records", limit * _OVERSAMPLE,
                                 public_only=labels == ["public"])
    visible = index.visible_seqs(session, [e.seq for e in records], labels)
    records = [e for e in records if e.seq in visible]
    # the records first, then the others, at most half each if both fill
    room = max(limit - len(others), limit - limit // 2)
    chosen = records[:room] + others[:limit - min(len(records), room)]
    out = []
    for entry in chosen[:limit]:
        # each link opens the page in the language the titles are in
        if entry.kind == "dataset":
            url = tk.url_for("dataset.read", id=entry.name, locale=lang)
        elif entry.kind == "tag":
            url = tk.url_for("dataset.search", tags=entry.name, locale=lang)
        elif entry.kind == "theme":
            url = tk.url_for("group.read", id=entry.name, locale=lang)
        else:
            url = tk.url_for("organization.read", id=entry.name, locale=lang)
        out.append({"type": entry.kind, "name": entry.name,
                    "title": _title(entry, lang), "url": url})
    return out
