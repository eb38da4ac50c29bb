"""What one search may ask, checked before any work is done (both engines).

A search is parsed, compiled, segmented (Khmer) and run inside a web
worker: without bounds one anonymous request holds that worker for seconds
(a 100 KB ``q``, 30 KB of short Khmer and Latin terms) or crashes the parser
(1,000 nested brackets: ``RecursionError``).  :func:`check` runs in
``before_dataset_search``, on what the caller sent and before core adds its
own filters (site, permissions), and refuses with a ``SearchError`` (the API
answers 409, the search page shows the message) whose text names the limit,
never the query's SQL.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError

from ckanext.learning import config

#: A filter may be this many times longer (and hold as many more terms)
#: than ``q``: facet links add one clause per chosen value.
FILTER_FACTOR = 5

_TERM = re.compile(r"[^\s()\[\]{}]+")
_OPENING = "([{"
_CLOSING = ")]}"


def check(search_params: dict[str, Any]) -> None:
    """Refuse a search past the configured limits (``SearchError``)."""
    for name, text, factor in _inputs(search_params):
        check_text(name, text, factor)


def check_text(name: str, text: str, factor: int = 1) -> None:
    """One query string: no NUL, not too long, deep or wordy."""
    if "\x00" in text:
        raise SearchError(tk._("The search contains a NUL character, which cannot "
                               "be searched for ({name}).").format(name=name))
    max_length = config.search_max_query_length() * factor
    if len(text) > max_length:
        raise SearchError(tk._("The search is too long ({name}): at most {limit} "
                               "characters.").format(name=name, limit=max_length))
    max_depth = config.search_max_depth()
    if nesting_depth(text) > max_depth:
        raise SearchError(tk._("The search nests brackets too deeply ({name}): at "
                               "most {limit} levels.").format(name=name, limit=max_depth))
    max_terms = config.search_max_terms() * factor
    if term_count(text) > max_terms:
        raise SearchError(tk._("The search has too many words ({name}): at most "
                               "{limit}.").format(name=name, limit=max_terms))


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting (quotes are not looked into: a bracket
    inside a phrase counts too, which errs on the safe side)."""
    depth = deepest = 0
    for char in text:
        if char in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
    return deepest


def term_count(text: str) -> int:
    """Words and operators, as Solr counts boolean clauses (roughly)."""
    return sum(1 for _ in _TERM.finditer(text))


def _inputs(search_params: dict[str, Any]) -> Iterator[tuple[str, str, int]]:
    q = search_params.get("q")
    if isinstance(q, str):
        yield "q", q, 1
    fq = search_params.get("fq")
    for value in ([fq] if isinstance(fq, str) else fq or []):
        if isinstance(value, str):
            yield "fq", value, FILTER_FACTOR
    for value in search_params.get("fq_list") or []:
        if isinstance(value, str):
            yield "fq_list", value, FILTER_FACTOR
