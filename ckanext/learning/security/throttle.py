"""Counters in Redis for the login and sign-up limits.

A fixed window per subject: the first event sets a counter that expires
``window`` seconds later; the subject is *blocked* while the counter has
reached the limit, for what remains of the window.  Every worker and thread
of every server process shares the counters (CKAN's ``ckan.redis.url``).
Subjects (user ids, login names, addresses) are stored hashed, so Redis
holds no email address or IP in the clear.
"""
from __future__ import annotations

import hashlib

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

__all__ = ["blocked_for", "clear", "count", "hit", "key"]

PREFIX = "ckanext-learning:throttle"


def key(kind: str, subject: str) -> str:
    """The Redis key of one counter (per site: several portals may share a
    Redis)."""
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:40]
    return f"{PREFIX}:{tk.config.get('ckan.site_id') or ''}:{kind}:{digest}"


def hit(kind: str, subject: str, window: int) -> int:
    """Count one event; returns the count in the current window."""
    name = key(kind, subject)
    pipe = connect_to_redis().pipeline()
    pipe.set(name, 0, ex=max(int(window), 1), nx=True)
    pipe.incr(name)
    return int(pipe.execute()[1])


def count(kind: str, subject: str) -> int:
    value = connect_to_redis().get(key(kind, subject))
    return int(value) if value is not None else 0


def blocked_for(kind: str, subject: str, limit: int) -> int:
    """Seconds the subject must still wait (0: not blocked).  A limit of 0 or
    less switches the limit off."""
    if limit <= 0:
        return 0
    name = key(kind, subject)
    redis = connect_to_redis()
    value = redis.get(name)
    if value is None or int(value) < limit:
        return 0
    return max(int(redis.ttl(name)), 1)


def clear(kind: str, subject: str) -> None:
    connect_to_redis().delete(key(kind, subject))
