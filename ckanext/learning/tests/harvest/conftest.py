"""The portals of the harvest tests: ours as the source, with the demo
content of ``ckan learning init``, and the CSO portals that harvest it.
Each is started once per session and stopped (every process) at its end."""
from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from ckanext.learning.tests.harvest import portals as P

#: The whole session (set-up, harvests, checks) must finish within this.
BUDGET = 230


def source_portal() -> P.Portal:
    """This platform, all its plugins (test.ini's), a database of its own."""
    portal = P.Portal("harvest-source", "ckan_learning_harvest_source", 9, {
        "ckan.site_title": "Learning Platform (harvest source)"})
    portal.write_ini((P.ROOT / "test.ini").read_text())
    return portal


def fluent_target(name: str = "cso-fluent", database: str = "ckan_learning_harvest_target",
                  redis_db: int = 10) -> P.Portal:
    portal = P.Portal(name, database, redis_db, {
        "ckan.plugins": P.FLUENT_PLUGINS,
        "scheming.dataset_schemas": "ckanext.learning.harvest:cso_portal_schema.yaml",
        "scheming.group_schemas": "ckanext.learning:schemas/theme_group.yaml",
        "scheming.organization_schemas": "ckanext.learning:schemas/organization.yaml",
        "scheming.presets": "ckanext.scheming:presets.json ckanext.learning.fluent:presets.json",
        "licenses_group_url": f"file://{P.ROOT}/ckanext/learning/data/licenses.json",
    })
    portal.write_ini()
    return portal


def plain_target() -> P.Portal:
    portal = P.Portal("cso-plain", "ckan_learning_harvest_plain", 11, {
        "ckan.plugins": P.PLAIN_PLUGINS,
        "scheming.dataset_schemas": ("ckanext.learning.harvest:plain_portal_schema.yaml "
                                     "ckanext.scheming:ckan_dataset.yaml"),
        "licenses_group_url": f"file://{P.ROOT}/ckanext/learning/data/licenses.json",
    })
    portal.write_ini()
    return portal


def _set_up_source(portal: P.Portal) -> None:
    portal.create()
    portal.ckan("learning", "init")
    portal.serve()


def _set_up_target(portal: P.Portal) -> None:
    portal.create("harvest")
    portal.serve()
    portal.make_sysadmin()
    portal.start_consumers()


class Portals:
    """The running portals and the session's deadline."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + BUDGET
        self.source = source_portal()
        self.fluent = fluent_target()
        self.plain = plain_target()
        self.all = [self.source, self.fluent, self.plain]

    def start(self) -> None:
        with ThreadPoolExecutor(len(self.all)) as pool:
            futures = [pool.submit(_set_up_source, self.source)]
            futures += [pool.submit(_set_up_target, t) for t in self.all[1:]]
            for future in futures:
                future.result()

    def stop(self) -> None:
        for portal in self.all:
            portal.stop()


@pytest.fixture(scope="session")
def portals() -> Iterator[Portals]:
    running = Portals()
    try:
        running.start()
        yield running
    finally:
        running.stop()
