"""CKAN's background-jobs worker, as ``ckan learning worker`` runs it.

* rq's scheduler runs beside it, so jobs enqueued with a retry (the mail
  outbox, document text) are run again after their wait;
* every 30 s it sweeps the outbox for mail whose delivery job was never
  queued (Redis was down when the change was saved);
* a work horse that fails before its job starts (CKAN reloads its
  environment in each forked horse, which needs the database: down during
  an outage) exits there.  CKAN's horse lets the exception climb back into
  the parent's code in the child process, which then tears the worker down
  a second time and takes rq's scheduler lock with it (measured by
  ``bench/soak``: "can only join a child process", and the retries stopped
  until the worker restarted).
"""
from __future__ import annotations

import logging
import os
from typing import Any

import rq
from ckan.lib import jobs as ckan_jobs

__all__ = ["Worker", "retry"]

log = logging.getLogger(__name__)

#: How a job that fails is retried: after 30 s, 2 min, 10 min (rq's scheduler).
RETRY_INTERVALS = [30, 120, 600]


def retry() -> dict[str, Any]:
    """``rq_kwargs`` of a job retried on failure (``tk.enqueue_job``)."""
    return {"retry": rq.Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)}


#: How often the worker sweeps for work nobody queued (seconds).
SWEEP_SECONDS = 30


class Worker(ckan_jobs.Worker):
    """CKAN's worker whose work horses never return into the parent's code,
    and which sweeps, every :data:`SWEEP_SECONDS`, for mail whose delivery
    was never queued (written while Redis was down)."""

    def __init__(self, queues: Any = None, *args: Any, **kwargs: Any) -> None:
        # rq runs its maintenance between two waits on the queues
        kwargs.setdefault("worker_ttl", SWEEP_SECONDS + 15)
        kwargs.setdefault("maintenance_interval", SWEEP_SECONDS)
        super().__init__(queues, *args, **kwargs)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        from ckanext.learning.mail import delivery  # it imports this module

        try:
            delivery.enqueue_if_due()
        except Exception:  # noqa: BLE001 - the database may be down: next sweep
            log.warning("Outbox sweep failed", exc_info=True)

    def main_work_horse(self, job: Any, queue: Any) -> None:
        try:
            super().main_work_horse(job, queue)
        except BaseException:  # noqa: BLE001 - in a forked child: exit, whatever it is
            log.exception("Job %s could not start in its work horse", job.id)
            os._exit(1)
        os._exit(0)  # rq's own horse exits itself; this is belt and braces
