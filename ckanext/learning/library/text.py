"""Shortening text that may be Khmer.

Core shortens titles and descriptions where a space falls (Jinja's
``truncate``, ``textwrap.shorten`` in ``h.markdown_extract``).  Khmer puts no
spaces between words, so a Khmer title was cut back to its first space,
often half of it, or dropped whole.  Here a cut inside Khmer falls on a
character-cluster boundary (never between a consonant and its vowel or
subscript), and a cut inside a Latin word goes back to the word's start.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.learning.khmer import clusters

ELLIPSIS = "..."


def _is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def _inside_cluster(text: str, pos: int) -> bool:
    """Whether ``pos`` falls inside a Khmer character cluster."""
    start = pos
    while start > 0 and _is_khmer(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and _is_khmer(text[end]):
        end += 1
    at = start
    for cluster in clusters(text[start:end]):
        found = text.find(cluster, at, end)
        if found < pos < found + len(cluster):
            return True
        at = found + len(cluster)
        if at >= pos:
            break
    return False


def cut_point(text: str, limit: int) -> int:
    """The end of the longest readable prefix of ``text`` no longer than
    ``limit``: not inside a Khmer cluster, not inside a Latin word (unless
    the text starts with one word longer than ``limit``)."""
    if len(text) <= limit:
        return len(text)
    pos = max(limit, 0)
    if _is_khmer(text[pos - 1]) or _is_khmer(text[pos]):
        while pos > 0 and _inside_cluster(text, pos):
            pos -= 1
        return pos or limit
    back = pos
    while back > 0 and text[back - 1].isalnum() and text[back].isalnum() \
            and not _is_khmer(text[back - 1]):
        back -= 1
    return back or limit


def shorten(text: str, length: int, end: str = ELLIPSIS, leeway: int = 0) -> str:
    """``text`` cut to at most ``length`` characters with ``end`` appended
    (texts up to ``length + leeway`` are left whole, as Jinja does)."""
    if len(text) <= length + leeway:
        return text
    keep = cut_point(text, max(length - len(end), 1))
    return text[:keep].rstrip(" \t\n,;:-") + end


def truncate(env: Any, s: Any, length: int = 255, killwords: bool = False,
             end: str = ELLIPSIS, leeway: int | None = None) -> Any:
    """Jinja's ``truncate`` filter, Khmer-aware (same signature; ``killwords``
    keeps its meaning: cut anywhere, but still not inside a cluster)."""
    if leeway is None:
        leeway = env.policies["truncate.leeway"]
    text = str(s)
    if len(text) <= length + leeway:
        return s
    keep = max(length - len(end), 1)
    if killwords:
        while keep > 0 and _inside_cluster(text, keep):
            keep -= 1
    else:
        keep = cut_point(text, keep)
    head = text[:keep].rstrip(" \t\n,;:-")
    # as Jinja does: a Markup stays Markup (the end is escaped into it)
    return Markup(head) + end if isinstance(s, Markup) else head + end


@tk.chained_helper
def markdown_extract(next_helper: Any, text: str, extract_length: int = 190) -> Any:
    """Core's helper (the plain text of markdown, shortened), shortening
    Khmer on a cluster boundary instead of dropping it back to a space."""
    whole = next_helper(text, extract_length=0)
    if not extract_length or len(whole) < extract_length:
        return whole
    return shorten(" ".join(whole.split()), extract_length)


def install(app: Any) -> Any:
    """Put the Khmer-aware ``truncate`` in place of Jinja's (IMiddleware)."""
    from jinja2 import pass_environment

    app.jinja_env.filters["truncate"] = pass_environment(truncate)
    return app
