"""In-memory postings: the portal's everyday searches without scanning SQL.

A search that matches a fifth of 100 000 datasets cannot be counted, faceted
and ranked in tens of milliseconds by reading matching rows, however narrow
the table.  Each worker therefore keeps the index's terms and filterable
values as compressed bitmaps of document numbers (roaring, via pyroaring):
a count is an intersection's cardinality, a facet is one intersection per
value, and only the page of results is read from PostgreSQL.

PostgreSQL stays the truth.  Every index row carries a document number
``seq`` (new on each write) and the id of the transaction that wrote it
(migration 0007); a worker that loaded the index at snapshot S applies, at the
start of each search and in the same statement that fixes the search's view,
exactly the rows and tombstones not visible in S.  So a search sees what every
committed transaction wrote, like the SQL path does.  Three cases go to the
SQL path instead (:class:`Unsupported`): query syntax this module does not
evaluate (phrases of English words, wildcards, ranges, fielded text, unusual
sorts or facets), a transaction that has itself written (its own uncommitted
rows must be visible to it, and must never reach the shared postings), and
the option ``ckanext.learning.search.postings = false``, and a worker still
reading a large index (it reads in a background thread: nobody waits).
With ``ckanext.learning.search.read_url`` the postings load and catch up
from the replica only (``source``: their snapshots then only move forward);
a search the replica cannot answer goes to SQL on the primary
(``search/replica.py``).

Matching equals the SQL path's: the same lexemes (PostgreSQL computes them,
from the same ``tsv`` column), the same boolean logic, the same exact string
filters.  Ranking is a cheaper cousin of ``ts_rank`` on the title/tags
vector: each query term scores 1.0 where it is in the title (weight A), 0.4
where it is in the name, tags, themes or organisation (B), and so does each
rank-only word (``Plan.rank_words``: a long Khmer term found as a whole
word, not inside a compound); ties follow the requested sort, then the
document number.
"""
from __future__ import annotations

import array
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import numpy as np
import sqlalchemy as sa
from luqum import tree
from pyroaring import BitMap

from ckanext.learning.khmer import has_khmer
from ckanext.learning.search import lucene
from ckanext.learning.search.fields import FACET_FIELDS
from ckanext.learning.search.long_reads import long_read, return_freed_memory
from ckanext.learning.search.model import (
    EPOCH_TABLE,
    INDEX_TABLE,
    REMOVED_TABLE,
    estimated_rows,
)
from ckanext.learning.search.request import Query, SearchRequest

log = logging.getLogger(__name__)

#: Weight of a query term found in the title (A) / name, tags, themes (B).
TITLE_WEIGHT, TAG_WEIGHT = 1.0, 0.4
#: Sort keys answered from memory, and the column each is loaded from.
SORT_COLUMNS = {"metadata_modified": "metadata_modified",
                "metadata_created": "metadata_created"}
#: Filterable values kept as bitmaps: the typed columns and the facet fields.
FILTER_FIELDS = (frozenset(lucene.COLUMN_FIELDS) | frozenset(lucene.ARRAY_FIELDS)
                 | FACET_FIELDS)
#: Stale document numbers tolerated (as a share of live ones) before a reload.
MAX_GARBAGE_RATIO = 1.0
#: Changes applied one by one; beyond this many a worker reloads everything.
MAX_DELTA = 5000
#: Indexes up to this many rows load inline (a few seconds at most); larger
#: ones load in a background thread while SQL answers.
INLINE_LOAD_ROWS = 20_000
#: Lexemes remembered per process (PostgreSQL's stemmer is asked once per word).
LEXEME_CACHE_SIZE = 50_000

_NULL = np.iinfo(np.int64).min
_SINGLE_LEXEME = re.compile(r"^'((?:[^']|'')+)'$")


class Unsupported(Exception):
    """The SQL path answers this search (the message says why, for logs)."""


# ---------------------------------------------------------------------------
# Plans: what a search asks, checked before anything is read


@dataclass
class Plan:
    #: (text search configuration, word) pairs that must all match
    words: list[tuple[str, str]]
    #: filter tree: ("key", field, value) | ("and"|"or", [...]) | ("not", x) | ("all",)
    filters: list[tuple]
    #: [(key, descending)]: "score" (only with words) or a SORT_COLUMNS name
    sort: list[tuple[str, bool]]
    rows: int
    start: int
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50
    facet_mincount: int = 1
    #: words that only rank (``lucene.RANK_WORDS``: a long Khmer term's own)
    rank_words: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        return ("score", True) in self.sort


def plan(request: SearchRequest, text_config: str) -> Plan:
    """The plan of a search, or :class:`Unsupported`."""
    words: list[tuple[str, str]] = []
    rank_words: tuple[str, ...] = ()
    if request.q is not None:
        if request.q.df != "text":
            raise Unsupported(f"default field {request.q.df}")
        words = _text_words(request.q.tree, request.q, text_config)
        rank_words = tuple(dict.fromkeys(lucene.all_rank_words(request.q.tree)))
    filters = [_filter(f.tree, None, f.op) for f in request.filters]
    if not set(request.facet_fields) <= FACET_FIELDS:
        raise Unsupported("facet on a field outside the facet fields")
    return Plan(words=words, filters=filters, sort=_sort(request.sort, bool(words)),
                rows=request.rows, start=request.start,
                facet_fields=request.facet_fields, facet_limit=request.facet_limit,
                facet_mincount=request.facet_mincount, rank_words=rank_words)


def _text_words(node: tree.Item, query: Query, text_config: str
                ) -> list[tuple[str, str]]:
    """Free-text terms that must all match (``q.op=AND``, or dismax's ``mm``
    requiring all)."""
    if isinstance(node, tree.Group):
        return _text_words(node.expr, query, text_config)
    if isinstance(node, (tree.Word, tree.Phrase)):
        return _word_terms(node, text_config)
    if isinstance(node, (tree.UnknownOperation, tree.AndOperation)):
        children = list(node.children)
        if isinstance(node, tree.UnknownOperation):
            should = [c for c in children if not isinstance(c, tree.Plus)]
            if query.mm:
                if lucene.min_should_match(query.mm, len(should)) < len(should):
                    raise Unsupported("minimum-should-match below all terms")
            elif query.op == "OR":
                raise Unsupported("q.op=OR")
        out: list[tuple[str, str]] = []
        for child in children:
            if isinstance(child, tree.Plus):
                child = child.a
            if not isinstance(child, (tree.Word, tree.Phrase)):
                raise Unsupported(f"query element {type(child).__name__}")
            out.extend(_word_terms(child, text_config))
        return out
    raise Unsupported(f"query element {type(node).__name__}")


def _word_terms(node: tree.Word | tree.Phrase, text_config: str
                ) -> list[tuple[str, str]]:
    if isinstance(node, tree.Phrase):
        tokens = node.value[1:-1].split()
        # a Khmer term's tokens (hooks.segment_tree) must all be present
        if not tokens or not all(has_khmer(t) for t in tokens):
            raise Unsupported("phrase of words")
        return [("simple", t) for t in tokens]
    value = node.value
    if not value or any(c in value for c in "*?\\~^"):
        raise Unsupported("wildcard or escaped term")
    return [("simple" if has_khmer(value) else text_config, value)]


def _filter(node: tree.Item, fname: str | None, op: str) -> tuple:
    if isinstance(node, tree.SearchField):
        if node.name == "*" and str(node.expr) == "*":
            return ("all",)
        if node.name not in FILTER_FIELDS:
            raise Unsupported(f"filter on {node.name}")
        return _filter(node.expr, node.name, op)
    if isinstance(node, (tree.Group, tree.FieldGroup)):
        return _filter(node.expr, fname, op)
    if isinstance(node, tree.Plus):
        return _filter(node.a, fname, op)
    if isinstance(node, (tree.Not, tree.Prohibit)):
        return ("not", _filter(node.a, fname, op))
    if isinstance(node, tree.UnknownOperation) and op == "OR":
        if any(isinstance(c, (tree.Plus, tree.Not, tree.Prohibit)) for c in node.children):
            raise Unsupported("required or prohibited clauses with q.op=OR")
        return ("or", [_filter(c, fname, op) for c in node.children])
    if isinstance(node, (tree.AndOperation, tree.UnknownOperation)):
        return ("and", [_filter(c, fname, op) for c in node.children])
    if isinstance(node, tree.OrOperation):
        return ("or", [_filter(c, fname, op) for c in node.children])
    if fname and isinstance(node, tree.Phrase):
        return ("key", fname, node.value[1:-1])
    if fname and isinstance(node, tree.Word):
        if any(c in node.value for c in "*?\\"):
            raise Unsupported("wildcard or escaped filter value")
        return ("key", fname, node.value)
    raise Unsupported(f"filter element {type(node).__name__}")


def _sort(sort: tuple[tuple[str, bool], ...], scored: bool) -> list[tuple[str, bool]]:
    out = []
    for name, desc in sort:
        if name == "score":
            if not desc:
                raise Unsupported("ascending score")
            if scored:
                out.append((name, desc))
            continue
        if name not in SORT_COLUMNS:
            raise Unsupported(f"sort on {name}")
        out.append((name, desc))
    return out


# ---------------------------------------------------------------------------
# The postings


class Postings:
    """One process's bitmaps of the index (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.loaded = False
        self._loader: threading.Thread | None = None
        self._lexemes: dict[tuple[str, str], str | None] = {}
        self._reset()

    def _reset(self) -> None:
        #: the database read (the primary, or ``read_url``'s replica)
        self.source: str | None = None
        self.epoch: str | None = None
        self.snapshot: str | None = None
        self.live = BitMap()
        self.garbage = 0
        self.seq_of: dict[str, int] = {}
        self.index_id_of: dict[int, str] = {}
        self.terms: dict[str, BitMap] = {}
        self.title_terms: dict[str, BitMap] = {}
        self.tag_terms: dict[str, BitMap] = {}
        #: field -> value -> documents
        self.field_values: dict[str, dict[str, BitMap]] = {}
        self.sort_keys = {name: np.full(1024, _NULL, dtype=np.int64)
                          for name in SORT_COLUMNS}

    # -- search ---------------------------------------------------------------
    def search(self, p: Plan, session: Any = None,
               engine: sa.engine.Engine | None = None) -> tuple[int, dict, list]:
        """(hits, Solr-style facet_fields, [(index_id, score)] of the page),
        read through ``session`` on ``engine`` (the primary's by default:
        postings read from one database only, the one they were loaded from)."""
        session = model.Session if session is None else session
        engine = model.meta.engine if engine is None else engine
        with self.lock:
            self._sync(session, engine)
            lexemes = self._lexemes_of(session, p.words)
            match = self.live.copy()
            for flt in p.filters:
                match &= self._eval(flt)
            for lexeme in lexemes:
                match &= self.terms.get(lexeme, BitMap())
            hits = len(match)
            facets = {name: self._facet(name, match, p) for name in p.facet_fields}
            if p.rows and p.scored and p.rank_words:
                ranked = self._lexemes_of(session, [("simple", w) for w in p.rank_words],
                                          strict=False)
                lexemes = lexemes + [r for r in ranked if r not in lexemes]
            page = self._page(match, lexemes, p) if p.rows else []
            return hits, facets, [(self.index_id_of[s], score) for s, score in page]

    def _eval(self, flt: tuple) -> BitMap:
        kind = flt[0]
        if kind == "key":
            return self.field_values.get(flt[1], {}).get(flt[2], BitMap())
        if kind == "all":
            return self.live
        if kind == "not":
            return self.live - self._eval(flt[1])
        parts = [self._eval(f) for f in flt[1]]
        if kind == "and":
            out = parts[0].copy() if parts else self.live.copy()
            for part in parts[1:]:
                out &= part
            return out
        return BitMap.union(*parts) if parts else BitMap()

    def _facet(self, name: str, match: BitMap, p: Plan) -> list[Any]:
        counts = []
        for value, docs in self.field_values.get(name, {}).items():
            count = match.intersection_cardinality(docs)
            if count >= p.facet_mincount:
                counts.append((value, count))
        # by count, ties in Solr's index order (code points = UTF-8 bytes)
        counts.sort(key=lambda vc: (-vc[1], vc[0]))
        if p.facet_limit >= 0:
            counts = counts[:p.facet_limit]
        return [x for vc in counts for x in vc]

    def _page(self, match: BitMap, lexemes: list[str], p: Plan
              ) -> list[tuple[int, float]]:
        want = p.start + p.rows
        if not match or p.start >= len(match):
            return []
        seqs = np.frombuffer(match.to_array(), dtype=np.uint32).astype(np.int64)
        keys: list[np.ndarray] = []  # most significant first, all ascending
        score = np.zeros(len(seqs))
        if p.scored:
            for lexeme in dict.fromkeys(lexemes):
                title = match & self.title_terms.get(lexeme, BitMap())
                tags = (match & self.tag_terms.get(lexeme, BitMap())) - title
                for docs, weight in ((title, TITLE_WEIGHT), (tags, TAG_WEIGHT)):
                    if docs:
                        at = np.searchsorted(seqs, np.frombuffer(docs.to_array(),
                                                                 dtype=np.uint32))
                        score[at] += weight
        for name, desc in p.sort:
            if name == "score":
                keys.append(-score)
                continue
            raw = self.sort_keys[name][seqs]
            null = raw == _NULL
            key = -raw if desc else raw.copy()
            key[null] = np.iinfo(np.int64).max  # NULLS LAST either way
            keys.append(key)
        keys.append(seqs)
        order = _first_n(keys, want)
        chosen = order[p.start:want]
        return [(int(seqs[i]), float(score[i])) for i in chosen]

    # -- words → lexemes ------------------------------------------------------
    def _lexemes_of(self, session, words: list[tuple[str, str]],
                    strict: bool = True) -> list[str]:
        """The lexeme of each word; one that has none (a stop word) or
        several is :class:`Unsupported`, or left out unless ``strict``."""
        missing = [w for w in dict.fromkeys(words) if w not in self._lexemes]
        if missing:
            rows = session.execute(sa.text(
                "SELECT phraseto_tsquery(CAST(c AS regconfig), w)::text "
                "FROM unnest(CAST(:cfgs AS text[]), CAST(:words AS text[])) AS u(c, w)"),
                {"cfgs": [c for c, _ in missing], "words": [w for _, w in missing]}
            ).scalars().all()
            if len(self._lexemes) > LEXEME_CACHE_SIZE:
                self._lexemes.clear()
            for key, tsquery in zip(missing, rows):
                m = _SINGLE_LEXEME.match(tsquery or "")
                self._lexemes[key] = m.group(1).replace("''", "'") if m else None
        out = []
        for key in words:
            lexeme = self._lexemes[key]
            if lexeme is not None:
                out.append(lexeme)
            elif strict:  # a stop word, or a word of several lexemes
                raise Unsupported(f"{key[1]!r} is not one lexeme")
        return out

    # -- keeping current ------------------------------------------------------
    def _sync(self, session, engine: sa.engine.Engine) -> None:
        """Apply what committed since the postings' snapshot (module doc)."""
        since = "pg_snapshot_xmin(CAST(:snap AS pg_snapshot))"
        head = session.execute(sa.text(f"""
            SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS writing,
                   pg_current_snapshot()::text AS snap,
                   (SELECT epoch FROM {EPOCH_TABLE} WHERE id = 1) AS epoch,
                   (SELECT count(*) FROM (SELECT 1 FROM {INDEX_TABLE}
                        WHERE xid >= {since} ORDER BY xid LIMIT :cap) AS c)
                 + (SELECT count(*) FROM (SELECT 1 FROM {REMOVED_TABLE}
                        WHERE xid >= {since} ORDER BY xid LIMIT :cap) AS c) AS recent
            """), {"snap": self.snapshot or "1:1:", "cap": MAX_DELTA}).one()
        if head.writing:
            raise Unsupported("this transaction has written")
        stale = (not self.loaded or head.epoch is None or head.epoch != self.epoch
                 or head.recent >= MAX_DELTA or self.source != _source(engine))
        untidy = self.garbage > max(1000, MAX_GARBAGE_RATIO * len(self.live))
        if stale or untidy:
            if estimated_rows(session) < INLINE_LOAD_ROWS:
                self.load(engine)
                return
            # a large index loads in the background; SQL answers meanwhile
            if not stale:
                self._load_in_background(engine)
            else:
                # nothing answers from stale postings: give their memory to
                # the load (beside them, a worker would need both at once)
                self._reset()
                self.loaded = False
                return_freed_memory()
                self._load_in_background(engine)
                raise Unsupported("postings are loading")
        if head.recent:
            # rows committed after the previous snapshot and by the new one
            # (a later statement may see more: those come next time)
            new = "CAST(:new AS pg_snapshot)"
            fresh = (f"xid >= {since} AND NOT pg_visible_in_snapshot(xid, "
                     f"CAST(:snap AS pg_snapshot)) AND pg_visible_in_snapshot(xid, {new})")
            values = {"snap": self.snapshot, "new": head.snap}
            for seq, index_id in session.execute(sa.text(
                    f"SELECT seq, index_id FROM {REMOVED_TABLE} WHERE {fresh}"), values):
                self._remove(seq, index_id)
            for row in session.execute(sa.text(
                    f"SELECT {_ROW_COLUMNS}, {_TERM_COLUMNS} FROM {INDEX_TABLE} i "
                    f"WHERE {fresh}"), values):
                self._add(*row)
        self.snapshot = head.snap

    def load(self, engine: sa.engine.Engine | None = None) -> None:
        """Read the whole index now (from the primary by default), and answer
        from it."""
        began = time.perf_counter()
        fresh = Postings()
        fresh._read_index(model.meta.engine if engine is None else engine)
        with self.lock:
            for name, value in vars(fresh).items():
                if name not in ("lock", "_lexemes", "_loader"):
                    setattr(self, name, value)
        return_freed_memory()
        log.info("Search postings loaded: %d datasets, %d terms in %.1f s",
                 len(self.live), len(self.terms), time.perf_counter() - began)

    def _load_in_background(self, engine: sa.engine.Engine) -> None:
        if self._loader is not None and self._loader.is_alive():
            return

        def run() -> None:
            try:
                self.load(engine)
            except Exception:  # the SQL path keeps answering
                log.exception("Loading the search postings failed")

        self._loader = threading.Thread(target=run, name="search-postings-load",
                                        daemon=True)
        self._loader.start()

    def _read_index(self, engine: sa.engine.Engine) -> None:
        """Read the whole index, in one snapshot, on a connection of its own
        (a long read: no request deadline applies)."""
        with long_read(), engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                epoch = conn.execute(sa.text(
                    f"SELECT epoch FROM {EPOCH_TABLE} WHERE id = 1")).scalar()
                if epoch is None:
                    epoch = _new_epoch()  # on the primary (a replica's shows it later)
                self._reset()
                self.source = _source(engine)
                self.snapshot = conn.execute(
                    sa.text("SELECT pg_current_snapshot()::text")).scalar()
                self.epoch = epoch
                stream = conn.execution_options(stream_results=True, yield_per=2000)
                for values in stream.execute(sa.text(
                        f"SELECT {_ROW_COLUMNS} FROM {INDEX_TABLE} i")):
                    self._add(*values)
                for lexeme, docs, title, tags in stream.execute(sa.text(f"""
                        SELECT u.lexeme,
                               string_agg(int4send(i.seq), ''::bytea),
                               string_agg(int4send(i.seq), ''::bytea)
                                   FILTER (WHERE 'A' = ANY(u.weights)),
                               string_agg(int4send(i.seq), ''::bytea)
                                   FILTER (WHERE 'B' = ANY(u.weights))
                        FROM {INDEX_TABLE} i CROSS JOIN LATERAL unnest(i.tsv) AS u
                        GROUP BY u.lexeme""")):
                    self.terms[lexeme] = _bitmap(docs)
                    if title:
                        self.title_terms[lexeme] = _bitmap(title)
                    if tags:
                        self.tag_terms[lexeme] = _bitmap(tags)
        self.loaded = True

    def _remove(self, seq: int, index_id: str) -> None:
        """A tombstone: the row ``seq`` of ``index_id`` is gone.  The postings
        may hold an older version of it (updated, then removed, between two
        searches: ``seq`` was never seen here), which is gone with it."""
        self._drop(seq)
        current = self.seq_of.get(index_id)
        if current is not None and current < seq:
            self._drop(current)

    def _drop(self, seq: int) -> None:
        index_id = self.index_id_of.pop(seq, None)
        if index_id is not None and self.seq_of.get(index_id) == seq:
            del self.seq_of[index_id]
        if seq in self.live:
            self.live.discard(seq)
            self.garbage += 1

    def _add(self, seq: int, index_id: str, site_id: str | None, state: str | None,
             capacity: str | None, dataset_type: str | None, labels: list[str],
             facet_values: list[str], modified: int | None, created: int | None,
             terms: list[str] | None = None, title: list[str] | None = None,
             tags: list[str] | None = None) -> None:
        old = self.seq_of.get(index_id)
        if old == seq:
            return  # seen already
        if old is not None:
            self._drop(old)
        self.seq_of[index_id] = seq
        self.index_id_of[seq] = index_id
        self.live.add(seq)
        pairs = [("site_id", site_id), ("state", state), ("capacity", capacity),
                 ("dataset_type", dataset_type)]
        pairs += [("permission_labels", label) for label in labels or ()]
        pairs += [entry.partition("=")[::2] for entry in facet_values or ()]
        for name, value in pairs:
            if value is None:
                continue
            values = self.field_values.setdefault(name, {})
            docs = values.get(value)
            if docs is None:
                docs = values[value] = BitMap()
            docs.add(seq)
        self._set_sort_key(seq, "metadata_modified", modified)
        self._set_sort_key(seq, "metadata_created", created)
        for index, words in ((self.terms, terms), (self.title_terms, title),
                             (self.tag_terms, tags)):
            for word in words or ():
                docs = index.get(word)
                if docs is None:
                    docs = index[word] = BitMap()
                docs.add(seq)

    def _set_sort_key(self, seq: int, name: str, value: int | None) -> None:
        keys = self.sort_keys[name]
        if seq >= len(keys):
            grown = np.full(max(seq + 1, 2 * len(keys)), _NULL, dtype=np.int64)
            grown[:len(keys)] = keys
            self.sort_keys[name] = keys = grown
        keys[seq] = _NULL if value is None else value


#: An index row as :meth:`Postings._add` takes it (times in microseconds).
_ROW_COLUMNS = """i.seq, i.index_id, i.site_id, i.state, i.capacity, i.dataset_type,
    i.permission_labels, i.facet_values,
    CAST(extract(epoch FROM i.metadata_modified) * 1000000 AS bigint),
    CAST(extract(epoch FROM i.metadata_created) * 1000000 AS bigint)"""
#: Its lexemes: all, in the title (A), in the name/tags/themes (B).
_TERM_COLUMNS = """tsvector_to_array(i.tsv), tsvector_to_array(ts_filter(i.tsv, '{a}')),
    tsvector_to_array(ts_filter(i.tsv, '{b}'))"""


def _source(engine: sa.engine.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _new_epoch() -> str:
    """Mark the index's tables (committed at once, on a connection of its own)."""
    epoch = uuid.uuid4().hex
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO {EPOCH_TABLE} (id, epoch) VALUES (1, :e) "
                             "ON CONFLICT (id) DO NOTHING"), {"e": epoch})
        return conn.execute(sa.text(f"SELECT epoch FROM {EPOCH_TABLE} WHERE id = 1")
                            ).scalar()


def _bitmap(packed: bytes | None) -> BitMap:
    """A bitmap from ``string_agg(int4send(seq))`` (big-endian 32-bit ints)."""
    if not packed:
        return BitMap()
    values = array.array("I")
    values.frombytes(np.frombuffer(packed, dtype=">u4").astype("=u4").tobytes())
    return BitMap(values)


def _first_n(keys: list[np.ndarray], n: int) -> np.ndarray:
    """Indexes of the ``n`` smallest rows by ``keys`` (lexicographic), in
    order, without sorting all rows: candidates are the rows whose first key
    is within the ``n`` smallest, ties at the boundary included."""
    first = keys[0]
    if n < len(first):
        kth = np.partition(first, n - 1)[n - 1]
        candidates = np.nonzero(first <= kth)[0]
    else:
        candidates = np.arange(len(first))
    order = np.lexsort([k[candidates] for k in reversed(keys)])
    return candidates[order][:n]


_postings = Postings()


def postings() -> Postings:
    return _postings
