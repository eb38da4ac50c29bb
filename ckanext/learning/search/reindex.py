"""Re-index datasets on every core at once.

Core's ``ckan search-index rebuild`` runs one ``package_show`` after another
in one process, in one transaction: on a 2-core machine half the CPU waits,
and (without ``--force``) the first failing dataset stops it.  Core's
``rebuild-fast`` forks, but skips drafts and ignores its workers' failures.
This splits the datasets over forked workers (``ckanext.learning.search.forking``
gives each its own connections), committing every :data:`BATCH` datasets,
with a savepoint per dataset.  Each dataset is indexed exactly as core's
rebuild does it (``index_update_package``), so the result is the same index.
"""
from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Sequence

import ckan.logic as logic
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

log = logging.getLogger(__name__)

#: Datasets indexed per transaction.
BATCH = 100


def matching_ids(q: str) -> list[str]:
    """Ids of the indexed datasets ``q`` (Lucene syntax, Khmer allowed)
    matches, private and draft ones included."""
    from ckanext.learning.search import hooks

    params = hooks.segment_query({"q": q})
    results = make_connection().search(params["q"], fl="id", rows=10**9)
    return [doc["id"] for doc in results]


def all_ids() -> list[str]:
    """The datasets core's full rebuild goes through (deleted ones too,
    unless ``ckan.search.remove_deleted_packages``: indexing a deleted
    dataset removes it from the index)."""
    packages = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        packages = packages.filter(model.Package.state != "deleted")
    return [row[0] for row in packages]


def reindex(ids: Sequence[str], jobs: int,
            progress: Callable[[int], None] = lambda n: None) -> int:
    """Index ``ids`` with ``jobs`` processes; returns how many failed."""
    if jobs <= 1 or len(ids) < 2 * BATCH:
        return _index_slice(list(ids), progress)
    context = multiprocessing.get_context("fork")
    done, failed = context.Value("i", 0), context.Value("i", 0)
    workers = [context.Process(target=_worker, args=(list(ids[j::jobs]), done, failed),
                               name=f"reindex-{j}") for j in range(jobs)]
    for worker in workers:
        worker.start()
    shown = 0
    while any(w.is_alive() for w in workers):
        time.sleep(0.25)
        current = done.value
        progress(current - shown)
        shown = current
    progress(done.value - shown)
    crashed = sum(1 for w in workers if w.exitcode != 0)
    if crashed:
        raise RuntimeError(f"{crashed} re-index worker(s) failed; see the log")
    return failed.value


def _worker(ids: list[str], done, failed) -> None:
    def count(n: int) -> None:
        with done.get_lock():
            done.value += n

    errors = _index_slice(ids, count)
    with failed.get_lock():
        failed.value += errors


def _index_slice(ids: list[str], progress: Callable[[int], None]) -> int:
    errors = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        for package_id in batch:
            try:
                with model.Session.begin_nested():
                    logic.index_update_package({"ignore_auth": True}, package_id,
                                               defer_commit=True)
            except Exception:
                # an unindexable dataset must not stop the others
                log.exception("Could not index dataset %s", package_id)
                errors += 1
        model.Session.commit()
        progress(len(batch))
    return errors
