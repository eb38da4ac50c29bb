"""The embedded search engine: CKAN's search index kept in PostgreSQL.

Two tables (created by the extension's migration):

``learning_search_index``
    narrow and hot: one row per dataset with the full-text vector ``tsv``
    (weights A title, B name/tags/groups/organisation, C description,
    D everything else) and its A+B part ``tsv_rank`` (small enough to rank
    every match by), the filterable/facetable fields as a JSONB document
    ``fields`` (``{field: [values]}``, Solr's string fields), and typed
    columns for the filters every query carries and the usual sorts.
``learning_search_document``
    the stored document (``data_dict``, ``validated_data_dict`` ...), read
    only for the page of results being returned.

Writes go through ``model.Session``, inside the transaction that changes the
dataset (core indexes before it commits): the index and the datasets commit
or roll back together.  Reads go to ``ckanext.learning.search.read_url``'s
streaming replica when one is set and it holds what the searching user
wrote (``search/replica.py``), to the primary otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import psycopg2
import sqlalchemy as sa
from ckan.lib.search.common import SearchError, solr_datetime_decoder
from dateutil.parser import isoparse

from ckanext.learning import config
from ckanext.learning.search import lucene, replica
from ckanext.learning.search.fields import (
    DOCUMENT_FIELDS,
    DOCUMENT_TEXT,
    DOCUMENT_TOKENS,
    FACET_FIELDS,
    TEXT_TOKENS,
    TITLE_TOKENS,
    TOKEN_FIELDS,
)
from ckanext.learning.search.model import (
    DOCUMENT_TABLE,
    INDEX_TABLE,
    REMOVED_TABLE,
    SEQUENCE,
)
from ckanext.learning.search.request import Query, SearchRequest, parse_query

from . import SearchBackend, postings

log = logging.getLogger(__name__)

#: Fields never copied into the filterable ``fields`` document.
UNFILTERED_FIELDS = {"data_dict", "validated_data_dict", "notes", "text",
                     "res_description", *TOKEN_FIELDS, *DOCUMENT_FIELDS}
#: Fields not kept in the stored document (Solr does not store them either).
UNSTORED_FIELDS = {"text", *TOKEN_FIELDS, *DOCUMENT_FIELDS}
#: Longest string value kept as a filterable field.
MAX_FIELD_VALUE = 2000

#: Text copied to each weight of the tsvector, by field name.
LATIN_WEIGHTS: dict[str, tuple[str, ...]] = {
    "A": ("title",),
    "B": ("name", "tags", "groups", "organization"),
    "C": ("notes",),
    "D": ("res_name", "res_description", "author", "maintainer", "text",
          "license_title", "url", DOCUMENT_TEXT),
}
#: Pre-segmented (space-separated) token fields, by weight.
TOKEN_WEIGHTS = {"A": TITLE_TOKENS, "C": TEXT_TOKENS, "D": DOCUMENT_TOKENS}
NUMERIC_SORT_FIELDS = {"num_resources", "num_tags"}
RANK_WEIGHTS = "{0, 0, 0.4, 1.0}"  # D, C, B, A

_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff\u200b-\u200d]+")


@dataclass
class Results:
    """What pysolr's ``Results`` offers and core reads."""

    docs: list[dict[str, Any]]
    hits: int
    facets: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)


class PostgresBackend(SearchBackend):
    segments_khmer = True

    def make_connection(self, decode_dates: bool = True) -> PostgresConnection:
        return PostgresConnection(decode_dates)

    def check_schema_version(self, schema_file: str | None = None) -> bool:
        # No Solr schema to check; the index tables come with the migration.
        return False


class PostgresConnection:
    """pysolr's ``Solr`` API, answered from PostgreSQL."""

    url = "postgresql"

    def __init__(self, decode_dates: bool = True) -> None:
        self.text_config = config.search_text_config()
        self.decode_dates = decode_dates
        self.use_postings = config.search_postings()

    # -- writes ---------------------------------------------------------------
    def add(self, docs: Iterable[dict[str, Any]], commit: bool = True,
            **kwargs: Any) -> None:
        replica.note_write(model.Session)
        for doc in docs:
            self._upsert(doc)

    def delete(self, id: Any = None, q: str | None = None, commit: bool = True,
               **kwargs: Any) -> None:
        # each removal leaves a tombstone for the workers' postings
        if id is not None:
            ids = id if isinstance(id, (list, tuple)) else [id]
            where, values = "i.index_id = ANY(:ids)", {"ids": list(ids)}
        elif q is None:
            raise SearchError("delete needs an id or a query")
        else:
            params = lucene.Params()
            where = self._where(parse_query(q), (), params).sql()
            values = params.values
        replica.note_write(model.Session)
        model.Session.execute(sa.text(f"""
            WITH gone AS (DELETE FROM {INDEX_TABLE} i WHERE {where}
                          RETURNING i.seq, i.index_id)
            INSERT INTO {REMOVED_TABLE} (seq, index_id)
            SELECT seq, index_id FROM gone ON CONFLICT (seq) DO NOTHING"""), values)

    def commit(self, **kwargs: Any) -> None:
        # Only core's standalone calls reach here (clearing the index, the end
        # of a deferred rebuild): the writes above belong to the session.
        model.Session.commit()

    def _upsert(self, doc: dict[str, Any]) -> None:
        fields = {k: v for k, v in
                  ((k, _field_values(v)) for k, v in doc.items()
                   if k not in UNFILTERED_FIELDS)
                  if v}
        stored = {k: _solr_date(k, v) for k, v in doc.items()
                  if k not in UNSTORED_FIELDS}
        params: dict[str, Any] = {
            "index_id": doc["index_id"],
            "id": doc["id"],
            "modified": _timestamp(doc.get("metadata_modified")),
            "created": _timestamp(doc.get("metadata_created")),
            "title_sort": (doc.get("title_string") or doc.get("title") or "").lower(),
            "site_id": doc.get("site_id"), "state": doc.get("state"),
            "capacity": doc.get("capacity"), "dataset_type": doc.get("dataset_type"),
            "labels": _field_values(doc.get("permission_labels")),
            "fields": json.dumps(fields, ensure_ascii=False),
            # a value counts once per dataset, as in Solr's facets
            "facet_values": list(dict.fromkeys(
                lucene.facet_value(k, v) for k, vs in fields.items()
                if k in FACET_FIELDS for v in vs)),
            "doc": json.dumps(stored, ensure_ascii=False, default=str),
            "cfg": self.text_config,
        }
        vectors: dict[str, list[str]] = {}
        for weight, names in LATIN_WEIGHTS.items():
            text = _latin_text(doc, names, with_extras=weight == "D")
            if text:
                params[f"latin_{weight}"] = text
                vectors.setdefault(weight, []).append(
                    f"setweight(to_tsvector(CAST(:cfg AS regconfig), :latin_{weight}),"
                    f" '{weight}')")
        for weight, name in TOKEN_WEIGHTS.items():
            tokens = doc.get(name)
            if tokens:
                params[f"tokens_{weight}"] = tokens
                vectors.setdefault(weight, []).append(
                    f"setweight(to_tsvector('simple', :tokens_{weight}), '{weight}')")
        tsv = " || ".join(v for vs in vectors.values() for v in vs) or "''::tsvector"
        written = model.Session.execute(sa.text(f"""
            INSERT INTO {INDEX_TABLE}
                (index_id, id, metadata_modified, metadata_created, title_sort,
                 site_id, state, capacity, dataset_type, permission_labels,
                 fields, facet_values, tsv, tsv_rank)
            SELECT :index_id, :id, :modified, :created, :title_sort,
                   :site_id, :state, :capacity, :dataset_type, :labels,
                   CAST(:fields AS jsonb), :facet_values, v.tsv,
                   ts_filter(v.tsv, '{{a,b}}')
            FROM (SELECT {tsv} AS tsv) AS v
            ON CONFLICT (index_id) DO UPDATE SET
                id = EXCLUDED.id,
                metadata_modified = EXCLUDED.metadata_modified,
                metadata_created = EXCLUDED.metadata_created,
                title_sort = EXCLUDED.title_sort,
                site_id = EXCLUDED.site_id,
                state = EXCLUDED.state,
                capacity = EXCLUDED.capacity,
                dataset_type = EXCLUDED.dataset_type,
                permission_labels = EXCLUDED.permission_labels,
                fields = EXCLUDED.fields,
                facet_values = EXCLUDED.facet_values,
                tsv = EXCLUDED.tsv,
                tsv_rank = EXCLUDED.tsv_rank,
                seq = nextval('{SEQUENCE}'),
                xid = pg_current_xact_id()
            -- a write of an older version never replaces a newer one (a job
            -- that read the dataset before a change commits after it)
            WHERE {INDEX_TABLE}.metadata_modified IS NULL
               OR EXCLUDED.metadata_modified IS NULL
               OR EXCLUDED.metadata_modified >= {INDEX_TABLE}.metadata_modified
            RETURNING index_id"""), params).first()
        if written is None:
            log.info("Index of %s kept: it is newer than this write", doc["id"])
            return
        model.Session.execute(sa.text(f"""
            INSERT INTO {DOCUMENT_TABLE} (index_id, doc)
            VALUES (:index_id, CAST(:doc AS jsonb))
            ON CONFLICT (index_id) DO UPDATE SET doc = EXCLUDED.doc"""), params)

    # -- reads ----------------------------------------------------------------
    def search(self, q: str | None = None, **kwargs: Any) -> Results:
        try:
            request = SearchRequest.from_params(q, kwargs)
            db = replica.session_for_search()
            if db is not None:
                try:
                    return self._answer(request, db, on_replica=True)
                except sa.exc.DBAPIError as e:
                    if not replica.is_connection_error(e):
                        raise
                    replica.lost(e)
                finally:
                    db.close()
            return self._answer(request, model.Session, on_replica=False)
        except (RecursionError, OverflowError, ValueError) as e:
            # past what before_dataset_search bounds (a caller of the
            # connection itself): the user's error, said without internals
            log.warning("Search refused: %s: %s", type(e).__name__, str(e)[:200])
            raise SearchError(tk._("A value in the search is out of range or cannot "
                                   "be read (a date, a number?).")) from None

    def _answer(self, request: SearchRequest, db: Any, on_replica: bool) -> Results:
        """``request`` answered from ``db`` (the replica's session or the primary's)."""
        if self.use_postings:
            try:
                return self._postings_search(request, db, on_replica)
            except postings.Unsupported as e:
                log.debug("Search by SQL: %s", e)
        return self._sql_search(request, db)

    def _postings_search(self, request: SearchRequest, db: Any,
                         on_replica: bool) -> Results:
        if replica.configured() and not on_replica:
            # the postings follow the replica alone (search/replica.py)
            raise postings.Unsupported("the replica cannot answer this search")
        p = postings.plan(request, self.text_config)
        source = db.get_bind() if on_replica else model.meta.engine
        hits, facets, page = postings.postings().search(p, db, source)
        stored = {}
        if page:
            stored = dict(db.execute(sa.text(
                f"SELECT index_id, doc FROM {DOCUMENT_TABLE} WHERE index_id = ANY(:ids)"),
                {"ids": [index_id for index_id, _ in page]}).all())
        # a document removed since the postings were read is left out
        docs = self._documents([(stored[i], rank) for i, rank in page if i in stored],
                               request.fl)
        return Results(docs=docs, hits=hits,
                       facets={"facet_fields": facets} if request.facet_fields else {})

    def _documents(self, page: list[tuple[dict[str, Any], float]],
                   fl: tuple[str, ...] | None) -> list[dict[str, Any]]:
        """Stored documents as Solr returns them: ``fl`` fields, score, dates."""
        docs = [_project(doc, fl, rank) for doc, rank in page]
        return [solr_datetime_decoder(d) for d in docs] if self.decode_dates else docs

    def _sql_search(self, request: SearchRequest, db: Any) -> Results:
        params = lucene.Params()
        compiler = self._compiler(request.q, params)
        where = self._where(request.q, request.filters, params, compiler).sql()
        rank_q = " || ".join(compiler.rank_queries)
        # ranked on the small title/tags vector: title matches first, then
        # name/tags/themes, then the rest by the sort's next key, without
        # reading every match's full (toasted) vector
        score = f"ts_rank('{RANK_WEIGHTS}', i.tsv_rank, {rank_q})" if rank_q else "1.0"
        try:
            # SSD-era costs: index scans over the toasted vectors beat seq scans
            # and a search never holds a connection (and a worker) for long;
            # one round trip for both settings
            db.execute(sa.text(
                "SET LOCAL random_page_cost = 1.1; "
                f"SET LOCAL statement_timeout = {int(config.search_statement_timeout())}"))
            if rank_q:
                # every match is scored anyway: one pass gives count, facets
                # and page (the vectors are read once, not once per statement)
                hits, facets, page = self._ranked_search(db, where, params.values,
                                                         score, request)
            else:
                hits, facets = self._count_and_facets(db, where, params.values, request)
                page = []
                if request.rows:
                    sql = (f"SELECT d.doc, {score} AS score FROM {INDEX_TABLE} i "
                           f"JOIN {DOCUMENT_TABLE} d ON d.index_id = i.index_id "
                           f"WHERE {where} ORDER BY {_order_by(request.sort, None)} "
                           f"LIMIT {request.rows} OFFSET {request.start}")
                    page = db.execute(sa.text(sql), params.values).all()
            docs = self._documents(page, request.fl)
        except sa.exc.DBAPIError as e:
            # values PostgreSQL rejects (a malformed date, a number too big...)
            # or the statement timeout: said without the SQL or its values
            try:
                db.rollback()
            except sa.exc.DBAPIError:
                pass  # the connection is gone: said below
            log.warning("Search query failed: %s", str(e.orig).strip().splitlines()[0])
            if isinstance(e.orig, psycopg2.errors.QueryCanceled):
                raise SearchError(tk._("The search took too long and was stopped: "
                                       "try fewer or simpler words.")) from None
            if replica.is_connection_error(e):
                raise  # the database is down: a 503 (the replica's: the primary)
            raise SearchError(tk._("A value in the search is out of range or cannot "
                                   "be read (a date, a number?).")) from None
        return Results(docs=docs, hits=hits,
                       facets={"facet_fields": facets} if request.facet_fields else {})

    def _compiler(self, query: Query | None, params: lucene.Params) -> lucene.Compiler:
        """A compiler for ``query`` (its ``df``, ``q.op`` and ``mm``)."""
        if query is None:
            return lucene.Compiler(params, self.text_config)
        return lucene.Compiler(params, self.text_config, default_field=query.df,
                               op=query.op, mm=query.mm)

    def _where(self, q: Query | None, filters: tuple[Query, ...], params: lucene.Params,
               compiler: lucene.Compiler | None = None) -> lucene.Text | lucene.Sql:
        """``q`` (with ``compiler``, which collects the ranking queries) and
        each filter (a plain condition), sharing ``params``."""
        parts = []
        try:
            if q is not None:
                parts.append((compiler or self._compiler(q, params)).compile(q.tree))
            for f in filters:
                parts.append(self._compiler(f, params).compile(f.tree))
        except lucene.QuerySyntaxError as e:
            raise SearchError(str(e)) from None
        return lucene.all_of(parts)

    def _count_and_facets(self, db: Any, where: str, values: dict[str, Any],
                          request: SearchRequest) -> tuple[int, dict[str, list[Any]]]:
        facet_fields = request.facet_fields
        if not facet_fields:
            hits = db.execute(
                sa.text(f"SELECT count(*) FROM {INDEX_TABLE} i WHERE {where}"),
                values).scalar()
            return int(hits or 0), {}
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT {_facet_source(facet_fields)} AS facet_doc
                FROM {INDEX_TABLE} i WHERE {where}),
            {_facets_cte(facet_fields)}
            SELECT NULL AS f, NULL AS x, (SELECT count(*) FROM m) AS c, 0 AS rn
            UNION ALL
            SELECT f, x, c, rn FROM f WHERE :facet_limit < 0 OR rn <= :facet_limit
            ORDER BY 1 NULLS FIRST, 4"""
        values = _facet_values(values, request)
        facets: dict[str, list[Any]] = {f: [] for f in facet_fields}
        hits = 0
        rows = db.execute(sa.text(sql), values).all()
        # rows come by count, ties in Solr's index (byte, COLLATE "C") order
        for name, value, count, _rank in rows:
            if name is None:
                hits = int(count)
            else:
                facets[name].extend([value, int(count)])
        return hits, facets

    def _ranked_search(self, db: Any, where: str, values: dict[str, Any], score: str,
                       request: SearchRequest
                       ) -> tuple[int, dict[str, list[Any]], list[tuple[Any, float]]]:
        """Count, facets and one page of a scored query from one scan."""
        order = _order_by(request.sort, "i.score")
        facet_fields = request.facet_fields
        facet_sql = ""
        if facet_fields:
            facet_sql = """
            UNION ALL
            SELECT 1, f, x, c, NULL, NULL, rn FROM f
            WHERE :facet_limit < 0 OR rn <= :facet_limit"""
            values = _facet_values(values, request)
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT i.index_id, i.id, i.seq, i.metadata_modified, i.metadata_created,
                       i.title_sort, i.fields, {score} AS score,
                       {_facet_source(facet_fields)} AS facet_doc
                FROM {INDEX_TABLE} i WHERE {where}),
            {_facets_cte(facet_fields) + "," if facet_fields else ""}
            p AS (
                SELECT i.index_id, i.score, row_number() OVER (ORDER BY {order}) AS pos
                FROM m i ORDER BY {order} LIMIT {request.rows} OFFSET {request.start})
            SELECT 0 AS kind, NULL AS f, NULL AS x, (SELECT count(*) FROM m) AS c,
                   NULL::jsonb AS doc, NULL::real AS score, 0 AS pos
            {facet_sql}
            UNION ALL
            SELECT 2, NULL, NULL, NULL, d.doc, p.score, p.pos
            FROM p JOIN {DOCUMENT_TABLE} d ON d.index_id = p.index_id"""
        facets: dict[str, list[Any]] = {f: [] for f in facet_fields}
        hits, page = 0, []
        for kind, name, value, count, doc, rank, _pos in sorted(
                db.execute(sa.text(sql), values).all(),
                key=lambda r: (r[0], r[1] or "", r[6])):
            if kind == 0:
                hits = int(count)
            elif kind == 1:
                facets[name].extend([value, int(count)])
            else:
                page.append((doc, rank))
        return hits, facets, page


def _order_by(sort: tuple[tuple[str, bool], ...], score: str | None) -> str:
    """SQL ORDER BY for a parsed ``sort``; ``score`` is None without a text query."""
    clauses = []
    for name, descending in sort:
        if name == "score":
            if score is None:
                continue
            expr = score
        elif name in lucene.DATE_COLUMNS:
            expr = lucene.DATE_COLUMNS[name]
        elif name in ("title_string", "title"):
            expr = "i.title_sort"
        elif name in NUMERIC_SORT_FIELDS:
            expr = f"CAST(i.fields -> {_literal(name)} ->> 0 AS numeric)"
        else:
            expr = f"(i.fields -> {_literal(name)} ->> 0)"
        clauses.append(f"{expr} {'DESC' if descending else 'ASC'} NULLS LAST")
    # ties in index order (document number), as the postings and Solr break them
    clauses.append("i.seq")
    return ", ".join(clauses)


def _literal(name: str) -> str:
    """A field name as an SQL string literal (sort fields are ``[\\w.-]+``)."""
    return "'" + name.replace("'", "''") + "'"


def _facet_source(facet_fields: Iterable[str]) -> str:
    """The small in-row ``facet_values`` when they hold every field asked
    for; the (toasted) ``fields`` document otherwise."""
    return ("i.facet_values" if set(facet_fields) <= FACET_FIELDS
            else "i.fields")


def _facets_cte(facet_fields: Iterable[str]) -> str:
    """Facet counts over the matches ``m`` (a CTE with ``facet_doc``, see
    :func:`_facet_source`): per field, values by count, ties in Solr's index
    (byte, COLLATE "C") order.  Each match's document is read once."""
    if _facet_source(facet_fields) == "i.facet_values":
        pairs = """
                CROSS JOIN LATERAL unnest(m.facet_doc) AS u(fv)
                CROSS JOIN LATERAL (SELECT split_part(u.fv, '=', 1),
                                           substr(u.fv, strpos(u.fv, '=') + 1)) AS e(k, x)"""
    else:
        pairs = """
                CROSS JOIN LATERAL jsonb_each(m.facet_doc) AS j(k, value)
                CROSS JOIN LATERAL (SELECT DISTINCT j.k, v.x FROM jsonb_array_elements_text(
                    CASE jsonb_typeof(j.value) WHEN 'array'
                         THEN j.value ELSE '[]'::jsonb END) AS v(x)) AS e(k, x)"""
    return f"""
            f AS (
                SELECT e.k AS f, e.x AS x, count(*) AS c,
                       row_number() OVER (PARTITION BY e.k
                                          ORDER BY count(*) DESC, e.x COLLATE "C") AS rn
                FROM m {pairs}
                WHERE e.k = ANY(CAST(:facet_fields AS text[]))
                GROUP BY e.k, e.x
                HAVING count(*) >= :facet_mincount)"""


def _facet_values(values: dict[str, Any], request: SearchRequest) -> dict[str, Any]:
    return dict(values, facet_fields=list(request.facet_fields),
                facet_mincount=request.facet_mincount, facet_limit=request.facet_limit)


def _field_values(value: Any) -> list[str]:
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, (list, tuple, set)):
        out = []
        for v in value:
            out.extend(_field_values(v))
        return out
    if isinstance(value, bool):
        return ["true" if value else "false"]
    text = str(value)
    if len(text) > MAX_FIELD_VALUE:
        return []
    return [text]


def _latin_text(doc: dict[str, Any], names: Iterable[str],
                with_extras: bool = False) -> str:
    """Latin-script text of ``names`` (Khmer runs are indexed as tokens)."""
    parts: list[str] = []
    for name in names:
        values = doc.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value is None:
                continue
            text = str(value)
            if name == "name":
                text = text.replace("-", " ").replace("_", " ")
            parts.append(text)
    if with_extras:
        parts.extend(value for key, value in doc.items()
                     if key.startswith("extras_") and key not in UNSTORED_FIELDS
                     and isinstance(value, str))
    return _KHMER_RUN.sub(" ", " ".join(parts)).strip()


def _solr_date(key: str, value: Any) -> Any:
    """Dates as Solr stores them: UTC, millisecond precision, ``Z``."""
    if not (isinstance(value, str) and (key.endswith("_date")
                                        or key.startswith("metadata_"))):
        return value
    try:
        parsed = _timestamp(value)
    except ValueError:
        return value
    assert parsed is not None
    millis = f"{parsed.microsecond // 1000:03d}".rstrip("0")
    text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{millis}Z" if millis else f"{text}Z"


def _timestamp(value: Any) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value
    parsed = isoparse(str(value))
    if parsed.tzinfo:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _project(doc: dict[str, Any], fl: tuple[str, ...] | None,
             score: float) -> dict[str, Any]:
    if fl is None:
        out = dict(doc)
    else:
        out = {k: doc[k] for k in fl if k in doc}
    if fl is None or "score" in fl:
        out["score"] = float(score)
    return out
