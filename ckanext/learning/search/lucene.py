"""Lucene/Solr query syntax → SQL over the PostgreSQL search index.

Queries are parsed with luqum, never with regular expressions, and compiled to
a boolean SQL expression over the index table (alias ``i``):

* free text, ``text:``, ``title:`` and ``notes:`` terms become full-text
  predicates on ``i.tsv``; adjacent text terms are merged into one
  ``tsquery`` so that PostgreSQL answers them with one GIN scan;
* any other field is a Solr *string* field: exact (case-sensitive) matches on
  the ``i.fields`` JSONB document, wildcards as ``LIKE``, ranges compared as
  numbers, dates (with Solr date maths: ``NOW-1DAY``, ``NOW/DAY``) or text;
* ``name_ngram``/``title_ngram`` (``package_autocomplete``) are substring
  matches.

What a Solr schema knows about fields lives in the field maps below
(:data:`TEXT_FIELDS`, :data:`DATE_COLUMNS`, :data:`COLUMN_FIELDS`,
:data:`ARRAY_FIELDS`, :data:`NGRAM_FIELDS`, and ``fields.FACET_FIELDS``,
string fields also kept as ``field=value`` entries of the small, in-row,
exactly GIN-indexed ``i.facet_values``); nothing else here is field-specific.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser as _parser

from ckanext.learning.khmer import has_khmer
from ckanext.learning.search.fields import (
    DOCUMENT_TEXT,
    DOCUMENT_TOKENS,
    FACET_FIELDS,
    TEXT_TOKENS,
    TITLE_TOKENS,
)

#: Tokenised fields, and the tsvector weight that holds each (None: all).
TEXT_FIELDS: dict[str, str | None] = {
    "text": None,
    "title": "A",
    TITLE_TOKENS: "A",
    "notes": "C",
    TEXT_TOKENS: "C",
    DOCUMENT_TEXT: "D",
    DOCUMENT_TOKENS: "D",
}

#: Fields with a typed timestamp column (fast ranges and sorts).
DATE_COLUMNS = {"metadata_modified": "i.metadata_modified",
                "metadata_created": "i.metadata_created"}

#: String fields every query filters on, kept as typed columns.
COLUMN_FIELDS = {"site_id": "i.site_id", "state": "i.state",
                 "capacity": "i.capacity", "dataset_type": "i.dataset_type"}
ARRAY_FIELDS = {"permission_labels": "i.permission_labels"}

#: Ngram fields of Solr's schema, answered as substring matches.
NGRAM_FIELDS = {"name_ngram": "name", "title_ngram": "title"}

#: Attribute of a query term holding words that rank it and match nothing
#: (set by ``hooks.segment_tree``: a long Khmer term's own words).
RANK_WORDS = "learning_rank_words"

_parse_lock = threading.Lock()


def rank_words(node: tree.Item) -> tuple[str, ...]:
    """The rank-only words of a term (see :data:`RANK_WORDS`)."""
    return getattr(node, RANK_WORDS, ())


def all_rank_words(node: tree.Item) -> list[str]:
    """The rank-only words of every term of a query, in order."""
    out = list(rank_words(node))
    for child in node.children:
        out.extend(all_rank_words(child))
    return out


class QuerySyntaxError(ValueError):
    """A query the user can correct; the message says what is wrong."""


def facet_value(name: str, value: str) -> str:
    """An ``i.facet_values`` entry (field names never hold ``=``)."""
    return f"{name}={value}"


def parse(query: str) -> tree.Item:
    """Parse Lucene syntax, turning luqum's errors into a readable one."""
    with _parse_lock:  # ply's parser keeps state between calls
        try:
            return _parser.parse(query)
        except ParseError as e:
            raise QuerySyntaxError(f"Cannot parse query {query[:80]!r}: {e}") from None


# ---------------------------------------------------------------------------
# SQL building blocks


@dataclass
class Params:
    """Bind parameters collected while compiling (``:p0``, ``:p1`` ...)."""

    values: dict[str, Any] = field(default_factory=dict)

    def __call__(self, value: Any) -> str:
        key = f"p{len(self.values)}"
        self.values[key] = value
        return f":{key}"


@dataclass
class Text:
    """A full-text predicate, kept as a tsquery so neighbours can merge."""

    tsquery: str

    def sql(self) -> str:
        return f"(i.tsv @@ {self.tsquery})"


@dataclass
class Sql:
    """Any other boolean SQL expression."""

    expr: str

    def sql(self) -> str:
        return self.expr


TRUE = Sql("TRUE")
FALSE = Sql("FALSE")


def all_of(parts: list[Text | Sql]) -> Text | Sql:
    parts = [p for p in parts if p is not TRUE]
    if not parts:
        return TRUE
    if any(p is FALSE for p in parts):
        return FALSE
    if len(parts) == 1:
        return parts[0]
    texts = [p for p in parts if isinstance(p, Text)]
    others = [p for p in parts if not isinstance(p, Text)]
    merged: list[Text | Sql] = []
    if texts:
        merged.append(Text("(" + " && ".join(t.tsquery for t in texts) + ")"))
    merged.extend(others)
    if len(merged) == 1:
        return merged[0]
    return Sql("(" + " AND ".join(p.sql() for p in merged) + ")")


def any_of(parts: list[Text | Sql]) -> Text | Sql:
    parts = [p for p in parts if p is not FALSE]
    if not parts:
        return FALSE
    if any(p is TRUE for p in parts):
        return TRUE
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, Text) for p in parts):
        return Text("(" + " || ".join(p.tsquery for p in parts) + ")")
    return Sql("(" + " OR ".join(p.sql() for p in parts) + ")")


def negate(part: Text | Sql) -> Text | Sql:
    if part is TRUE:
        return FALSE
    if part is FALSE:
        return TRUE
    return Sql(f"(NOT {part.sql()})")


# ---------------------------------------------------------------------------
# Solr date maths


_UNITS = {"YEAR": "years", "YEARS": "years", "MONTH": "months", "MONTHS": "months",
          "DAY": "days", "DAYS": "days", "DATE": "days", "HOUR": "hours",
          "HOURS": "hours", "MINUTE": "minutes", "MINUTES": "minutes",
          "SECOND": "seconds", "SECONDS": "seconds"}
_DATE_MATH = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")


def parse_date(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """A Solr date (``2024-01-01T00:00:00Z``, ``NOW-1DAY``, ``NOW/DAY``...)."""
    from dateutil.parser import isoparse
    from dateutil.relativedelta import relativedelta

    head, sep, math = value.partition("NOW")
    if sep and not head:
        base = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    else:
        m = re.match(r"^[0-9T:.\-]+Z?", value)
        if not m:
            raise QuerySyntaxError(f"Not a date: {value!r}")
        try:
            base = isoparse(m.group(0))
        except ValueError:
            raise QuerySyntaxError(f"Not a date: {value!r}") from None
        if base.tzinfo:
            base = base.astimezone(dt.UTC).replace(tzinfo=None)
        math = value[m.end():]
    pos = 0
    for m in _DATE_MATH.finditer(math):
        if m.start() != pos:
            break
        pos = m.end()
        if m.group(4):  # rounding
            unit = _UNITS.get(m.group(4))
            if unit is None:
                raise QuerySyntaxError(f"Unknown date unit in {value!r}")
            fields = ["years", "months", "days", "hours", "minutes", "seconds"]
            keep = fields.index(unit)
            repl = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0,
                    "microsecond": 0}
            names = ["year", "month", "day", "hour", "minute", "second"]
            base = base.replace(**{n: repl[n] for n in names[keep + 1:]},
                                microsecond=0)
        else:
            unit = _UNITS.get(m.group(3))
            if unit is None:
                raise QuerySyntaxError(f"Unknown date unit in {value!r}")
            amount = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            try:
                base = base + relativedelta(**{unit: amount})
            except (OverflowError, ValueError):
                raise QuerySyntaxError(f"The date maths goes past the calendar in "
                                       f"{value[:80]!r}") from None
    if pos != len(math):
        raise QuerySyntaxError(f"Cannot read the date maths in {value!r}")
    return base


def _is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------
# The compiler


@dataclass
class Compiler:
    """Compile one luqum tree; collects parameters and ranking tsqueries."""

    params: Params
    text_config: str = "english"
    #: Solr's ``df``: the field of unfielded terms
    default_field: str = "text"
    #: Solr's ``q.op``: how juxtaposed clauses combine (``AND`` or ``OR``)
    op: str = "AND"
    #: dismax "minimum should match" spec applied to a top-level bag of terms
    mm: str | None = None
    rank_queries: list[str] = field(default_factory=list)

    def compile(self, node: tree.Item) -> Text | Sql:
        return self._node(node, self.default_field, top=True)

    # -- dispatch -------------------------------------------------------------
    def _node(self, node: tree.Item, fname: str, top: bool = False,
              negated: bool = False) -> Text | Sql:
        if isinstance(node, tree.SearchField):
            name = node.name
            if name == "*":
                return TRUE
            return self._node(node.expr, name, negated=negated)
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self._node(node.expr, fname, top=top, negated=negated)
        if isinstance(node, (tree.Boost,)):
            return self._node(node.expr, fname, negated=negated)
        if isinstance(node, (tree.Proximity, tree.Fuzzy)):
            return self._node(node.term, fname, negated=negated)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return negate(self._node(node.a, fname, negated=not negated))
        if isinstance(node, tree.Plus):
            return self._node(node.a, fname, negated=negated)
        if isinstance(node, tree.AndOperation):
            return all_of([self._node(c, fname, negated=negated) for c in node.children])
        if isinstance(node, tree.OrOperation):
            return any_of([self._node(c, fname, negated=negated) for c in node.children])
        if isinstance(node, tree.UnknownOperation):
            return self._implicit(node, fname, top, negated)
        if isinstance(node, tree.Range):
            return self._range(fname, node.low.value, node.high.value,
                               node.include_low, node.include_high)
        if isinstance(node, tree.From):
            return self._range(fname, node.a.value, "*", node.include, True)
        if isinstance(node, tree.To):
            return self._range(fname, "*", node.a.value, True, node.include)
        if isinstance(node, tree.Regex):
            raise QuerySyntaxError("Regular expressions are not supported in queries")
        if isinstance(node, (tree.Phrase, tree.Word)):
            phrase = isinstance(node, tree.Phrase)
            term = self._term(fname, node.value[1:-1] if phrase else node.value,
                              phrase=phrase, negated=negated)
            if rank_words(node) and not negated and fname in TEXT_FIELDS:
                self.rank_queries.append(
                    f"plainto_tsquery('simple', {self.params(' '.join(rank_words(node)))})")
            return term
        raise QuerySyntaxError(f"Unsupported query element: {node}")

    def _implicit(self, node: tree.UnknownOperation, fname: str, top: bool,
                  negated: bool) -> Text | Sql:
        """Juxtaposed clauses: all of them (``q.op=AND``), dismax's
        minimum-should-match, or as Lucene's ``q.op=OR``: at least one, none
        when a ``+`` clause is required (the others then only rank)."""
        must, must_not, should = [], [], []
        for child in node.children:
            if isinstance(child, tree.Plus):
                must.append(self._node(child.a, fname, negated=negated))
            elif isinstance(child, (tree.Prohibit, tree.Not)):
                must_not.append(self._node(child.a, fname, negated=not negated))
            else:
                should.append(self._node(child, fname, negated=negated))
        parts = must + [negate(p) for p in must_not]
        if should:
            if top and self.mm:
                required = min_should_match(self.mm, len(should))
            elif self.op == "OR":
                required = 0 if must else 1
            else:
                required = len(should)
            if required >= len(should):
                parts.extend(should)
            elif required == 1:
                parts.append(any_of(should))
            elif required == 0:
                pass
            else:
                hits = " + ".join(f"({p.sql()})::int" for p in should)
                parts.append(all_of([any_of(should), Sql(f"(({hits}) >= {required})")]))
        return all_of(parts)

    # -- terms ------------------------------------------------------------------
    def _term(self, fname: str, value: str, phrase: bool, negated: bool) -> Text | Sql:
        if fname in NGRAM_FIELDS:
            return self._substring(NGRAM_FIELDS[fname], value)
        if fname in TEXT_FIELDS:
            return self._text(TEXT_FIELDS[fname], value, phrase, negated)
        if fname in DATE_COLUMNS and not phrase and value != "*":
            when = parse_date(value)
            return Sql(f"({DATE_COLUMNS[fname]} = {self.params(when)})")
        if not phrase and value == "*":
            return Sql(f"(i.fields ? {self.params(fname)})")
        if not phrase and ("*" in value or "?" in value):
            return self._wildcard(fname, value)
        return self._exact(fname, value)

    def _exact(self, fname: str, value: str) -> Sql:
        if fname in COLUMN_FIELDS:
            return Sql(f"({COLUMN_FIELDS[fname]} = {self.params(value)})")
        if fname in ARRAY_FIELDS:
            return Sql(f"({ARRAY_FIELDS[fname]} @> ARRAY[{self.params(value)}]::text[])")
        if fname in FACET_FIELDS:
            entry = self.params(facet_value(fname, value))
            return Sql(f"(i.facet_values @> ARRAY[{entry}]::text[])")
        doc = json.dumps({fname: [value]}, ensure_ascii=False)
        return Sql(f"(i.fields @> CAST({self.params(doc)} AS jsonb))")

    def _wildcard(self, fname: str, value: str) -> Sql:
        pattern = (value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                   .replace("*", "%").replace("?", "_"))
        return Sql(
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(i.fields -> "
            f"{self.params(fname)}) AS v(x) WHERE v.x LIKE {self.params(pattern)})")

    def _substring(self, fname: str, value: str) -> Sql:
        pattern = "%" + (value.replace("\\", "\\\\").replace("%", "\\%")
                         .replace("_", "\\_")) + "%"
        return Sql(
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(i.fields -> "
            f"{self.params(fname)}) AS v(x) WHERE v.x ILIKE {self.params(pattern)})")

    def _text(self, weight: str | None, value: str, phrase: bool,
              negated: bool) -> Text | Sql:
        value = value.strip()
        if not value or value == "*":
            return TRUE
        if not phrase and value.endswith("*") and "*" not in value[:-1]:
            stem = re.sub(r"[^\w]+", " ", value[:-1], flags=re.UNICODE).split()
            if not stem:
                return TRUE
            body = " & ".join(self._quote_lexeme(w.lower()) + ":*" for w in stem)
            q = f"to_tsquery('simple', {self.params(body)})"
        else:
            q = self._tsquery(value)
        if not negated:
            self.rank_queries.append(q)
        if weight:
            # GIN finds the candidates, ts_filter keeps those matching in the field
            return Sql(f"(i.tsv @@ {q} AND ts_filter(i.tsv, '{{{weight.lower()}}}') @@ {q})")
        return Text(q)

    def _tsquery(self, value: str) -> str:
        """A phrase of Latin words (stemmed) and Khmer tokens (exact, all
        required); consecutive words of one script share one tsquery."""
        def config(word: str) -> str:
            return "simple" if has_khmer(word) else self.text_config

        parts = []
        for cfg, words in groupby(value.split(), key=config):
            # a Khmer term's tokens must all be there, not necessarily
            # adjacent: the segmenter may cut a word differently in context,
            # and the in-memory postings (backend/postings.py) hold no positions
            to_tsquery = "plainto_tsquery" if cfg == "simple" else "phraseto_tsquery"
            parts.append(f"{to_tsquery}(CAST({self.params(cfg)} AS regconfig), "
                         f"{self.params(' '.join(words))})")
        q = parts[0]
        for nxt in parts[1:]:
            q = f"tsquery_phrase({q}, {nxt})"
        return q

    @staticmethod
    def _quote_lexeme(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    # -- ranges -------------------------------------------------------------------
    def _range(self, fname: str, low: str, high: str, inc_low: bool,
               inc_high: bool) -> Sql:
        lo_op = ">=" if inc_low else ">"
        hi_op = "<=" if inc_high else "<"
        if fname in DATE_COLUMNS:
            col = DATE_COLUMNS[fname]
            conds = []
            if low != "*":
                conds.append(f"{col} {lo_op} {self.params(parse_date(low))}")
            if high != "*":
                conds.append(f"{col} {hi_op} {self.params(parse_date(high))}")
            return Sql("(" + " AND ".join(conds) + ")") if conds else TRUE
        numeric = all(v == "*" or _is_number(v) for v in (low, high))
        if numeric:
            value = "(v.x)::numeric"
            guard = "v.x ~ '^-?[0-9]+(\\.[0-9]+)?$'"
            cast: Callable[[str], Any] = float
        elif fname.endswith("_date") or "NOW" in low + high or _looks_like_date(low, high):
            value = "v.x"
            guard = "TRUE"

            def cast(v: str) -> Any:
                return parse_date(v).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            value, guard, cast = "v.x", "TRUE", str
        conds = [guard]
        if low != "*":
            conds.append(f"{value} {lo_op} {self.params(cast(low))}")
        if high != "*":
            conds.append(f"{value} {hi_op} {self.params(cast(high))}")
        return Sql(
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(i.fields -> "
            f"{self.params(fname)}) AS v(x) WHERE {' AND '.join(conds)})")


def _looks_like_date(*values: str) -> bool:
    return any(re.match(r"^\d{4}-\d{2}-\d{2}", v) for v in values)


def min_should_match(spec: str, n: int) -> int:
    """Solr's ``mm`` (e.g. ``2<-1 5<80%``): how many of ``n`` clauses must match."""
    spec = spec.strip()
    if not spec:
        return n
    rule = spec
    if "<" in spec:
        rule = None
        for cond in spec.split():
            limit, _, value = cond.partition("<")
            if n > int(limit):
                rule = value
        if rule is None:
            return n
    if rule.endswith("%"):
        pct = int(rule[:-1])
        required = int(n * pct / 100) if pct >= 0 else n - int(n * -pct / 100)
    else:
        k = int(rule)
        required = k if k >= 0 else n + k
    return max(1, min(n, required))
