"""Statements that may rightly take long in a web request.

Loading the in-memory postings reads the whole index (12 s and more at
100,000 datasets on a busy machine); it happens in whichever request first
searches a new worker.  A plugin that bounds how long a request waits on
PostgreSQL (the library's ``security/database.py``) asks :func:`active` and
lets these run.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

__all__ = ["active", "long_read"]

_LONG = contextvars.ContextVar("learning_long_read", default=False)


@contextlib.contextmanager
def long_read() -> Iterator[None]:
    token = _LONG.set(True)
    try:
        yield
    finally:
        _LONG.reset(token)


def active() -> bool:
    """Whether the statements now running are a long read."""
    return _LONG.get()
