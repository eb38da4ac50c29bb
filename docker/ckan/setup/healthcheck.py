"""Health checks of the containers of the CKAN image (docker-compose.yml).

    python setup/healthcheck.py web [URL]   CKAN answers status_show
    python setup/healthcheck.py worker      a jobs worker (`ckan learning worker`) of this host
                                            is registered in Redis
    python setup/healthcheck.py redis       Redis answers (harvest consumers,
                                            which block on its queues)

Exits 0 when healthy, 1 (with the reason on stderr) otherwise.  Loads no
CKAN code, so that a check takes milliseconds, not CKAN's start-up time.
"""
from __future__ import annotations

import json
import os
import socket
import sys
import urllib.request

STATUS_URL = "http://127.0.0.1:5000/api/action/status_show"


def web(url: str = STATUS_URL) -> str | None:
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    if not body.get("success"):
        return f"status_show answered {body!r}"
    return None


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["CKAN_REDIS_URL"], socket_timeout=5)


def worker() -> str | None:
    import rq

    hostname = socket.gethostname()
    workers = [w for w in rq.Worker.all(connection=_redis()) if w.hostname == hostname]
    if not workers:
        return f"no jobs worker of {hostname} is registered in Redis"
    return None


def redis_ping() -> str | None:
    if not _redis().ping():
        return "Redis did not answer PING"
    return None


CHECKS = {"web": web, "worker": worker, "redis": redis_ping}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in CHECKS:
        print(f"usage: healthcheck.py {'|'.join(CHECKS)} [URL]", file=sys.stderr)
        return 2
    try:
        problem = CHECKS[argv[0]](*argv[1:])
    except Exception as e:  # any failure to check is a failed check
        problem = f"{type(e).__name__}: {e}"
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
