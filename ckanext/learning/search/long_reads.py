"""Statements that may rightly take long in a web request.

Loading the in-memory postings reads the whole index (12 s and more at
100,000 datasets on a busy machine); it happens in whichever request first
searches a new worker.  A plugin that bounds how long a request waits on
PostgreSQL (the library's ``security/database.py``) asks :func:`active` and
lets these run.  Such a read also leaves freed buffers that glibc keeps:
:func:`return_freed_memory` gives them back.
"""
from __future__ import annotations

import contextlib
import contextvars
import ctypes
from collections.abc import Iterator

__all__ = ["active", "long_read", "return_freed_memory"]

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


def return_freed_memory() -> None:
    """Give a large read's transient buffers back to the system (glibc keeps
    freed memory otherwise, and a worker's RSS would stay at its peak)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
