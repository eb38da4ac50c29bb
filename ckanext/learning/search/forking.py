"""Forked processes get database connections of their own.

Core's ``ckan search-index rebuild-fast`` forks one worker per core after the
application has already used the database, and so does ``ckan learning
reindex``.  A child that reuses the parent's pooled connection shares its
socket: two processes' queries interleave on one PostgreSQL session and
come back as each other's rows ("Could not locate column in row for column
'title'").  SQLAlchemy's remedy for ``fork`` is for the child to drop the
pool *without closing it* (closing would end the parent's connections too).
The session the child inherited is set aside unclosed for the same reason:
closing it would send a ROLLBACK down the parent's connection.
"""
from __future__ import annotations

import os
from typing import Any

import ckan.model as model

#: Sessions inherited from the parent, kept alive so that nothing in the
#: child ever finalises (rolls back) them on the parent's socket.
_inherited: list[Any] = []
_installed = False


def install() -> None:
    """Register :func:`fresh_connections_in_child` (once per process)."""
    global _installed
    if not _installed:
        os.register_at_fork(after_in_child=fresh_connections_in_child)
        _installed = True


def fresh_connections_in_child() -> None:
    engine = getattr(model.meta, "engine", None)
    if engine is None:
        return
    registry = model.Session.registry
    if registry.has():
        _inherited.append(registry())
        registry.clear()
    engine.dispose(close=False)
