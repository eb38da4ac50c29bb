"""CKAN's background-jobs worker, as ``ckan learning worker`` runs it.

* rq's scheduler runs beside it, so jobs enqueued with a retry (the mail
  outbox, document text) are run again after their wait;
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


class Worker(ckan_jobs.Worker):
    """CKAN's worker whose work horses never return into the parent's code."""

    def main_work_horse(self, job: Any, queue: Any) -> None:
        try:
            super().main_work_horse(job, queue)
        except BaseException:  # noqa: BLE001 - in a forked child: exit, whatever it is
            log.exception("Job %s could not start in its work horse", job.id)
            os._exit(1)
        os._exit(0)  # rq's own horse exits itself; this is belt and braces
