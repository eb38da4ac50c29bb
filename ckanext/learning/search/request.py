"""One search, parsed once: :class:`SearchRequest`.

Core's ``PackageSearchQuery`` (and ``is_available``, ``get_index``,
``get_all_entity_ids``) call the connection's ``search(q, **params)`` with
Solr's parameters.  :meth:`SearchRequest.from_params` reads each of them
exactly once, and both ways of answering (the in-memory postings and SQL)
work from the result.  Bad input raises ``SearchError`` with a message for
the user (core's API answers 409), a bad ``sort`` core's
``SearchQueryError`` (400), as Solr's errors would.

Parameters read: ``q``, ``fq`` (a string or a list), ``rows``, ``start``,
``sort``, ``fl``, ``facet``, ``facet.field``, ``facet.limit``,
``facet.mincount``, ``defType`` and ``mm`` (dismax's minimum-should-match),
``q.op`` and ``df``.  ``q`` and each ``fq`` may begin with Solr local
parameters (core lets through the parsers named in
``ckan.search.solr_allowed_query_parsers``): ``{!lucene q.op=OR df=title}``,
``{!dismax mm=...}``/``{!edismax ...}`` and ``{!bool must=... should=...
must_not=... filter=...}`` are understood, any other parser is an error.
Solr-only parameters (``qf``, ``tie``, ``bf``, ``boost``, ``wt`` ...) are
ignored.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckan.lib.search.common import SearchError, SearchQueryError
from luqum import tree

from ckanext.learning import khmer
from ckanext.learning.search import hooks, lucene

#: Queries that match every document.
MATCH_ALL = ("", "*:*", "*")
#: Sort when none is asked for (Solr's).
DEFAULT_SORT = (("score", True),)

_SORT_CLAUSE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s+(asc|desc)\s*$", re.I)
_MM = re.compile(r"^\s*(?:-?\d+%?|(?:\d+<-?\d+%?\s*)+)\s*$")
_LOCAL_PARAM = re.compile(r"""\s*([\w.]+)(?:=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s'"}]+))?""")
_DISMAX = ("dismax", "edismax")
_BOOL_CLAUSES = ("must", "must_not", "should", "filter")


@dataclass(frozen=True)
class Query:
    """One parsed query (``q`` or an ``fq``) and how its bare terms combine."""

    tree: tree.Item
    #: Solr's ``q.op``: ``AND`` or ``OR``
    op: str = "AND"
    #: dismax's minimum-should-match for the top-level terms (``None``: ``op``)
    mm: str | None = None
    #: Solr's ``df``: the field of unfielded terms
    df: str = "text"


@dataclass(frozen=True)
class SearchRequest:
    """What a pysolr-style ``search(q, **params)`` asks for."""

    #: the query; ``None`` matches every document
    q: Query | None = None
    #: filters every match passes (``fq``)
    filters: tuple[Query, ...] = ()
    rows: int = 10
    start: int = 0
    #: (field, descending) pairs; ``score`` ranks by relevance
    sort: tuple[tuple[str, bool], ...] = DEFAULT_SORT
    #: stored fields to return (``None``: all of them, and the score)
    fl: tuple[str, ...] | None = None
    #: fields to facet on (empty unless ``facet=true``)
    facet_fields: tuple[str, ...] = ()
    #: values per facet field (negative: all)
    facet_limit: int = 50
    facet_mincount: int = 1

    @classmethod
    def from_params(cls, q: Any = None, params: Mapping[str, Any] | None = None,
                    ) -> SearchRequest:
        """Parse a pysolr-style search; Khmer terms of ``q`` become their
        tokens (``hooks.segment_tree``), as the hook does for Solr."""
        params = params or {}
        def_type = _text(params, "defType", "lucene")
        options = {"op": _op(params.get("q.op", "AND")),
                   "df": _text(params, "df", "text"),
                   "mm": _mm(params.get("mm")) if def_type in _DISMAX else None}
        query = parse_query(_query_text(q, "q"), segment=True, **options)
        filters = [parse_query(f, op=options["op"], df=options["df"])
                   for f in _strings(params.get("fq"), "fq")]
        want_facets = str(params.get("facet", "false")).lower() == "true"
        return cls(
            q=query, filters=tuple(f for f in filters if f is not None),
            rows=max(_int(params, "rows", 10), 0),
            start=max(_int(params, "start", 0), 0),
            sort=parse_sort(params.get("sort")),
            fl=_field_list(params.get("fl")),
            facet_fields=(tuple(dict.fromkeys(_strings(params.get("facet.field"),
                                                       "facet.field")))
                          if want_facets else ()),
            facet_limit=_int(params, "facet.limit", 50),
            facet_mincount=max(_int(params, "facet.mincount", 1), 1),
        )


def parse_query(text: str | None, segment: bool = False, op: str = "AND",
                mm: str | None = None, df: str = "text") -> Query | None:
    """A query string, its local parameters applied; ``None`` if it matches
    everything.  ``segment``: Khmer terms become their tokens."""
    text = (text or "").strip()
    if text.startswith("{!"):
        return _local_params_query(text, segment, op, mm, df)
    if text in MATCH_ALL:
        return None
    if segment and khmer.has_khmer(text):
        node = hooks.segment_tree(_parse(khmer.normalize(text)))
    else:
        node = _parse(text)
    return Query(node, op=op, mm=mm, df=df)


def parse_sort(sort: Any) -> tuple[tuple[str, bool], ...]:
    """Solr's ``sort`` (``field asc|desc, ...``) as (field, descending) pairs."""
    if sort is None or (isinstance(sort, str) and not sort.strip()):
        return DEFAULT_SORT
    if not isinstance(sort, str):
        raise SearchQueryError('Invalid "sort" parameter')
    out = []
    for clause in sort.split(","):
        if not clause.strip():
            continue
        m = _SORT_CLAUSE.match(clause)
        if not m:
            raise SearchQueryError('Invalid "sort" parameter')
        out.append((m.group(1), m.group(2).lower() == "desc"))
    return tuple(out) or DEFAULT_SORT


# ---------------------------------------------------------------------------
# Local parameters: {!type key=value ...}rest


def _local_params_query(text: str, segment: bool, op: str, mm: str | None,
                        df: str) -> Query | None:
    args, rest = _local_params(text)
    kind = args.pop("type", ["lucene"])[-1]
    if kind in ("lucene", *_DISMAX):
        op = _op(args.get("q.op", [op])[-1])
        df = args.get("df", [df])[-1]
        # the parser named here replaces defType's: mm is dismax's alone
        mm = _mm(args.get("mm", [mm])[-1]) if kind in _DISMAX else None
        value = args.get("v", [rest])[-1]
        if value.strip().startswith("{!"):
            raise SearchError(f"Nested local parameters are not supported: {text!r}")
        return parse_query(value, segment=segment, op=op, mm=mm, df=df)
    if kind == "bool":
        return _bool_query(args, text, segment, op, df)
    raise SearchError(f"Local parameters {{!{kind}}} are not supported by this "
                      f"search engine: {text!r}")


def _local_params(text: str) -> tuple[dict[str, list[str]], str]:
    """``{!bool must=a must='b c'}rest`` → ({type: [bool], must: [a, b c]}, rest)."""
    args: dict[str, list[str]] = {}
    pos = 2
    first = True
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("}", pos):
            return args, text[pos + 1:]
        m = _LOCAL_PARAM.match(text, pos)
        if not m or m.end() == pos:
            raise SearchError(f"Cannot parse the local parameters of {text!r}")
        key, value = m.group(1), m.group(2)
        if value is None:
            if not first:
                raise SearchError(f"Local parameter {key!r} has no value in {text!r}")
            key, value = "type", key
        elif value[:1] in ("'", '"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif value.startswith("$"):
            raise SearchError(f"Parameter references are not supported: {text!r}")
        args.setdefault(key, []).append(value)
        first = False
        pos = m.end()


def _bool_query(args: dict[str, list[str]], text: str, segment: bool, op: str,
                df: str) -> Query | None:
    """Solr's bool parser: every ``must``/``filter``, no ``must_not``, and at
    least one ``should`` unless something is required (then they only rank)."""
    clauses: dict[str, list[tree.Item]] = {}
    for kind in _BOOL_CLAUSES:
        for value in args.get(kind, []):
            parsed = parse_query(value, segment=segment, op=op, df=df)
            node = parsed.tree if parsed else tree.SearchField("*", tree.Word("*"))
            clauses.setdefault(kind, []).append(tree.Group(node))
    required = clauses.get("must", []) + clauses.get("filter", [])
    should = clauses.get("should", [])
    parts = list(required)
    if should and not required:
        parts.append(should[0] if len(should) == 1 else tree.Group(tree.OrOperation(*should)))
    parts.extend(tree.Not(c) for c in clauses.get("must_not", []))
    if not parts:
        raise SearchError(f"{{!bool}} needs at least one clause: {text!r}")
    if not required and not should:
        parts.insert(0, tree.SearchField("*", tree.Word("*")))  # only must_not
    node = parts[0] if len(parts) == 1 else tree.AndOperation(*parts)
    return Query(node, op=op, df=df)


# ---------------------------------------------------------------------------
# Plain values


def _parse(text: str) -> tree.Item:
    try:
        return lucene.parse(text)
    except lucene.QuerySyntaxError as e:
        raise SearchError(str(e)) from None


def _query_text(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise SearchError(f"Parameter {name!r} must be a string, not {value!r}")


def _strings(value: Any, name: str) -> Iterable[str]:
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise SearchError(f"Parameter {name!r} must be a string or a list of strings, "
                          f"not {value!r}")
    return [v for v in values if v.strip()]


def _text(params: Mapping[str, Any], name: str, default: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise SearchError(f"Parameter {name!r} must be a string, not {value!r}")
    return value.strip()


def _int(params: Mapping[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise SearchError(f"Parameter {name!r} must be a whole number, not {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SearchError(f"Parameter {name!r} must be a whole number, not {value!r}"
                          ) from None


def _op(value: Any) -> str:
    op = str(value).strip().upper() if value is not None else "AND"
    if op not in ("AND", "OR"):
        raise SearchError(f"Parameter 'q.op' must be AND or OR, not {value!r}")
    return op


def _mm(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _MM.match(value):
        raise SearchError(f"Parameter 'mm' is not a minimum-should-match spec: {value!r}")
    return value


def _field_list(fl: Any) -> tuple[str, ...] | None:
    if not fl:
        return None
    if isinstance(fl, str):
        names = re.split(r"[\s,]+", fl)
    elif isinstance(fl, (list, tuple)) and all(isinstance(n, str) for n in fl):
        names = list(fl)
    else:
        raise SearchError(f"Parameter 'fl' must be a string or a list of strings, "
                          f"not {fl!r}")
    names = [n for n in names if n]
    return None if not names or "*" in names else tuple(names)
