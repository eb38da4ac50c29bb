"""``ckan learning check``: do the postings and SQL answer alike, and does the
index match the datasets?

The in-memory postings (``backend/postings.py``) and the SQL path
(``backend/postgres.py``) must give every user the same answer to every
search; the postings follow PostgreSQL by transaction snapshot, so a bug in
how they catch up shows only on a portal that has been written to for a
while.  This module puts the same searches to both, through core's own
``package_search`` (permission labels, drafts, facets included), each pair
in one read-only REPEATABLE READ transaction: both answers, and the
postings' catching up, see the same snapshot, so concurrent writes on a live
portal cause no false alarms.  It never writes.

A process's postings are its own: run from the command line, this checks a
fresh copy (loaded, then kept current by its own searches: ``repeat``).
"""
from __future__ import annotations

import collections
import contextlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.learning import config
from ckanext.learning.search.backend import postings
from ckanext.learning.search.model import INDEX_TABLE

#: Facets asked for on every comparison.
FACET_FIELDS = ("groups", "tags", "res_format", "organization", "license_id")
#: Rows asked for: the page holds every match on most portals.
ROWS = 1000
#: How many of the commonest title words, tags, organisations... by default.
COMMON = 5

_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Role:
    """Who searches, and which of core's visibility flags they pass."""

    label: str
    user: str  # "" is anonymous
    include_private: bool = False
    include_drafts: bool = False

    def context(self) -> dict[str, Any]:
        # a fresh dict each time: actions write into their context
        user = model.User.get(self.user) if self.user else None
        return {"user": self.user, "auth_user_obj": user, "ignore_auth": False}

    def flags(self) -> dict[str, bool]:
        return {"include_private": self.include_private,
                "include_drafts": self.include_drafts}


@dataclass
class Disagreement:
    role: str
    query: dict[str, Any]
    what: str
    postings: Any = None
    sql: Any = None
    #: what the two values are (the index's checks compare index and dataset)
    sides: tuple[str, str] = ("postings", "sql")

    def __str__(self) -> str:
        width = max(len(s) for s in self.sides) + 1
        left, right = (f"{s}:".ljust(width) for s in self.sides)
        return (f"[{self.role}] {describe(self.query)}: {self.what}"
                f"\n    {left} {_short(self.postings)}\n    {right} {_short(self.sql)}")


@dataclass
class Report:
    comparisons: int = 0
    by_postings: int = 0  # comparisons the postings really answered
    disagreements: list[Disagreement] = field(default_factory=list)


def roles(user: str | None = None) -> list[Role]:
    """Anonymous, every scope a sysadmin may ask for, and ``user``'s."""
    admin = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    out = [Role("anonymous", "")]
    for private in (False, True):
        for drafts in (False, True):
            out.append(Role(_label("sysadmin", private, drafts), admin, private, drafts))
    if user:
        if model.User.get(user) is None:
            raise ValueError(f"No user named {user!r}")
        out += [Role(_label(user, p, d), user, p, d)
                for p, d in ((False, False), (True, False), (True, True))]
    return out


def _label(name: str, private: bool, drafts: bool) -> str:
    return name + (" +private" if private else "") + (" +drafts" if drafts else "")


def default_queries(common: int = COMMON) -> list[dict[str, Any]]:
    """``*:*`` and the commonest title words, tags, organisations, themes and
    formats of the index (each word alone, each value as a filter)."""
    queries: list[dict[str, Any]] = [{}, {"sort": "metadata_modified asc"}]
    for word in common_words(common):
        queries.append({"q": word})
        queries.append({"q": word, "sort": "metadata_modified desc"})
    facets = _search(roles()[-1], dict(_params({"rows": 0}), **{"facet.limit": common})
                     )["search_facets"]
    for name in ("tags", "organization", "groups", "res_format", "license_id"):
        for item in facets.get(name, {}).get("items", []):
            queries.append({"fq": f'{name}:"{item["name"]}"',
                            "sort": "metadata_modified desc"})
    return queries


def common_words(limit: int) -> list[str]:
    """The commonest words of the indexed titles that are one lexeme each
    (stop words and compounds would only ever be answered by SQL)."""
    counts: collections.Counter[str] = collections.Counter()
    for (title,) in model.Session.execute(sa.text(
            f"SELECT title_sort FROM {INDEX_TABLE} WHERE site_id = :site"),
            {"site": tk.config.get("ckan.site_id")}):
        counts.update(set(_WORD.findall(title or "")))
    candidates = [w for w, _ in counts.most_common(limit * 4)]
    if not candidates:
        return []
    single = set(model.Session.execute(sa.text(
        "SELECT w FROM unnest(CAST(:words AS text[])) AS u(w) "
        "WHERE numnode(plainto_tsquery(CAST(:cfg AS regconfig), w)) = 1"),
        {"words": candidates, "cfg": config.search_text_config()}).scalars())
    return [w for w in candidates if w in single][:limit]


def parse_query(text: str) -> dict[str, Any]:
    """``--query``: a ``q`` string, or a JSON object of search parameters."""
    text = text.strip()
    if text.startswith("{"):
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("a JSON query must be an object")
        return value
    return {"q": text}


def describe(query: dict[str, Any]) -> str:
    shown = {k: v for k, v in query.items() if k not in ("facet.field", "rows")}
    return json.dumps(shown or {"q": "*:*"}, ensure_ascii=False, sort_keys=True)


# ----------------------------------------------------------------- comparing

def run(queries: Iterable[dict[str, Any]], who: Iterable[Role],
        progress: Callable[[int], None] = lambda n: None) -> Report:
    """Compare every query for every role (see :func:`compare`)."""
    report = Report()
    for role in who:
        for query in queries:
            found, answered = compare(role, query)
            report.comparisons += 1
            report.by_postings += answered
            report.disagreements += found
            progress(1)
    return report


def compare(role: Role, query: dict[str, Any], retry: bool = True
            ) -> tuple[list[Disagreement], bool]:
    """The differences between the postings' and SQL's answer to ``query``
    for ``role``, and whether the postings answered it at all.

    Each answer is ``count``, the facets and the result ids (in order when
    the order is the sort's, as a set when it is relevance ranking: the two
    paths rank alike but not identically).  ``retry`` asks again in a new
    snapshot before reporting (the postings may have just reloaded at a
    later snapshot than the transaction's).
    """
    params = _params(query)
    with one_snapshot():
        from_postings, answered = _by_postings(role, params)
        from_sql = _by_sql(role, params)
    found = _differences(role, query, params, from_postings, from_sql)
    if found and retry:
        return compare(role, query, retry=False)
    return found, answered


def _params(query: dict[str, Any]) -> dict[str, Any]:
    # ids are what is compared; the stored documents are still read (a
    # missing one is still left out), only not decoded into full datasets
    params = {"rows": ROWS, "facet.field": json.dumps(list(FACET_FIELDS)),
              "facet.limit": -1, "fl": ["id", "name"]}
    params.update(query)
    return params


def _by_postings(role: Role, params: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    with _answered_by_postings() as answered:
        result = _search(role, params)
    return result, bool(answered)


def _by_sql(role: Role, params: dict[str, Any]) -> dict[str, Any]:
    with sql_only():
        return _search(role, params)


def _search(role: Role, params: dict[str, Any]) -> dict[str, Any]:
    return tk.get_action("package_search")(role.context(), dict(params, **role.flags()))


def _differences(role: Role, query: dict[str, Any], params: dict[str, Any],
                 a: dict[str, Any], b: dict[str, Any]) -> list[Disagreement]:
    out = []

    def differ(what: str, x: Any, y: Any) -> None:
        if x != y:
            out.append(Disagreement(role.label, query, what, x, y))

    differ("count", a["count"], b["count"])
    differ("facets", a["facets"], b["facets"])
    differ("facet items", a["search_facets"], b["search_facets"])
    ids_a, ids_b = _ids(a), _ids(b)
    if _ranked(params):
        if a["count"] <= int(params["rows"]) and b["count"] <= int(params["rows"]):
            differ("results (as a set)", sorted(ids_a), sorted(ids_b))
    else:
        differ("results", ids_a, ids_b)
    rows, start = int(params["rows"]), int(params.get("start") or 0)
    for name, answer in (("postings", a), ("sql", b)):
        expected = max(min(answer["count"] - start, rows), 0)
        if len(answer["results"]) != expected:
            out.append(Disagreement(role.label, query, f"{name}: count {answer['count']} "
                                    f"but {len(answer['results'])} results",
                                    _ids(a), _ids(b)))
    return out


def _ids(result: dict[str, Any]) -> list[str]:
    return [r["id"] for r in result["results"]]


def _ranked(params: dict[str, Any]) -> bool:
    """Whether results come by relevance (a text query and a score sort)."""
    q = (params.get("q") or "").strip()
    sort = params.get("sort") or tk.config.get("ckan.search.default_package_sort") or ""
    return q not in ("", "*:*", "*") and "score" in sort


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """A read-only REPEATABLE READ transaction of the session: every
    statement inside, the postings' catching up included, sees one snapshot."""
    model.Session.rollback()
    model.Session.execute(sa.text(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    try:
        yield
    finally:
        model.Session.rollback()


@contextlib.contextmanager
def sql_only() -> Iterator[None]:
    """Searches inside are answered by SQL (the declared option, switched
    off for the duration: the connection reads it per search)."""
    before = tk.config.get(config.SEARCH_POSTINGS)
    tk.config[config.SEARCH_POSTINGS] = False
    try:
        yield
    finally:
        tk.config[config.SEARCH_POSTINGS] = before


@contextlib.contextmanager
def _answered_by_postings() -> Iterator[list[bool]]:
    """Notes each search the postings answered (a search they decline goes
    to SQL, and comparing SQL with itself would prove nothing)."""
    shared = postings.postings()
    answered: list[bool] = []
    search = shared.search

    def noting(plan: postings.Plan, *args: Any) -> tuple[int, dict, list]:
        out = search(plan, *args)
        answered.append(True)
        return out

    shared.search = noting  # type: ignore[method-assign]
    try:
        yield answered
    finally:
        del shared.search


# ----------------------------------------------------------------- the index

def index_disagreements() -> list[Disagreement]:
    """Datasets the index lacks, index rows without a dataset, and rows whose
    state, visibility or type differ from the dataset's (read in one snapshot)."""
    keep_deleted = not tk.config.get("ckan.search.remove_deleted_packages")
    with one_snapshot():
        rows = model.Session.execute(sa.text(f"""
            SELECT coalesce(p.id, i.id) AS id, p.name, p.state, p.private, p.type,
                   i.id IS NOT NULL AS indexed, i.state AS i_state,
                   i.capacity AS i_capacity, i.dataset_type AS i_type
            FROM (SELECT id, name, state, private, type FROM package
                  WHERE :keep_deleted OR state <> 'deleted') AS p
            FULL JOIN (SELECT id, state, capacity, dataset_type FROM {INDEX_TABLE}
                       WHERE site_id = :site) AS i ON i.id = p.id
            WHERE p.id IS NULL OR i.id IS NULL OR i.state IS DISTINCT FROM p.state
               OR i.capacity IS DISTINCT FROM
                  (CASE WHEN p.private THEN 'private' ELSE 'public' END)
               OR i.dataset_type IS DISTINCT FROM p.type
            ORDER BY 1"""), {"site": tk.config.get("ckan.site_id"),
                             "keep_deleted": keep_deleted}).all()
    out = []
    for row in rows:
        name = {"dataset": row.name or row.id}
        if not row.indexed:
            what, index, dataset = f"{row.state} dataset not indexed", None, row.state
        elif row.state is None:
            what = "index row of a missing dataset" if keep_deleted else (
                "index row of a missing or deleted dataset")
            index, dataset = row.i_state, None
        else:
            what = "index row out of date (state, capacity, type)"
            index = (row.i_state, row.i_capacity, row.i_type)
            dataset = (row.state, "private" if row.private else "public", row.type)
        out.append(Disagreement("index", name, what, index, dataset, ("index", "dataset")))
    return out


def repeat(times: int, interval: float, once: Callable[[], Report]) -> Report:
    """``once`` ``times`` over, ``interval`` seconds apart: between rounds the
    postings catch up with what others wrote, as a web worker's do."""
    total = Report()
    for round_ in range(times):
        if round_:
            time.sleep(interval)
        report = once()
        total.comparisons += report.comparisons
        total.by_postings += report.by_postings
        total.disagreements += report.disagreements
    return total


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + "…"
