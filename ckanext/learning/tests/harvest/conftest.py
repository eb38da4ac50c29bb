"""The portals of the harvest tests (stack.py), started once per session
and stopped, every process of them, at its end."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from ckanext.learning.tests.harvest.stack import Portals


@pytest.fixture(scope="session")
def portals() -> Iterator[Portals]:
    running = Portals()
    try:
        running.start()
        yield running
    finally:
        running.stop()
