"""The portals of the harvest tests (issue 15): ours as the source, with the
demo content of ``ckan learning init``, and the CSO portals that harvest it;
the harvests and the transfer table.  Shared by ``conftest.py`` and
``bench/harvest_table.py``."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ckanext.learning.tests.harvest import portals as P

#: A harvest still running after this (from the session's start) has hung:
#: the tests fail instead of waiting for ever.  (Its usual length, about 160
#: s on a quiet machine, is printed by test_transfer_table.)
BUDGET = 900
#: What the CKAN harvester copies from our normal API (it keeps ``type``,
#: and has no setting to map it): the CSO schemas declare it.
TYPE = "learning-resource"
#: the CKAN harvester: organisations and theme groups made as they come
CKAN_CONFIG = {"remote_orgs": "create", "remote_groups": "create"}
LICENSES = f"file://{P.ROOT}/ckanext/learning/data/licenses.json"
FLUENT_PRESETS = "ckanext.scheming:presets.json ckanext.learning.fluent:presets.json"


def source_portal() -> P.Portal:
    """This platform, all its plugins (test.ini's), a database of its own."""
    portal = P.Portal("harvest-source", "ckan_learning_harvest_source", 8, {
        "ckan.site_title": "Learning Platform (harvest source)"})
    portal.write_ini((P.ROOT / "test.ini").read_text())
    return portal


def fluent_target() -> P.Portal:
    """(a) through the CKAN harvester: harvest/cso_portal_schema.yaml."""
    portal = P.Portal("cso-fluent", "ckan_learning_harvest_target", 9, {
        "ckan.plugins": P.FLUENT_PLUGINS,
        "scheming.dataset_schemas": "ckanext.learning.harvest:cso_portal_schema.yaml",
        "scheming.group_schemas": "ckanext.learning:schemas/theme_group.yaml",
        "scheming.organization_schemas": "ckanext.learning:schemas/organization.yaml",
        "scheming.presets": FLUENT_PRESETS,
        "licenses_group_url": LICENSES,
    })
    portal.write_ini()
    return portal


def dcat_target() -> P.Portal:
    """(a) through the DCAT harvester: ckanext-dcat's multilingual DCAT-AP
    schema in Khmer and English (harvest/cso_portal_dcat_schema.yaml)."""
    portal = P.Portal("cso-dcat", "ckan_learning_harvest_dcat", 12, {
        "ckan.plugins": P.FLUENT_PLUGINS,
        "scheming.dataset_schemas": "ckanext.learning.harvest:cso_portal_dcat_schema.yaml",
        "scheming.group_schemas": "ckanext.learning:schemas/theme_group.yaml",
        "scheming.organization_schemas": "ckanext.learning:schemas/organization.yaml",
        "scheming.presets": FLUENT_PRESETS + " ckanext.dcat.schemas:presets.yaml",
        "ckanext.dcat.rdf.profiles": "euro_dcat_ap_3 euro_dcat_ap_scheming",
        "licenses_group_url": LICENSES,
    })
    portal.write_ini()
    return portal


def plain_target(name: str, database: str, redis_db: int) -> P.Portal:
    """(b): stock CKAN, core fields only: no scheming, no fluent."""
    portal = P.Portal(name, database, redis_db, {"ckan.plugins": P.PLAIN_PLUGINS})
    portal.write_ini()
    return portal


#: The stock portals and the language each asks of /learning/core-fields/.
PLAIN = {"cso-plain": "en", "cso-plain-km": "km"}


def _timed(portal: P.Portal, step: str, started: float) -> None:
    print(f"[harvest] {portal.name}: {step} at {time.monotonic() - started:.0f} s", flush=True)


def _set_up_source(portal: P.Portal, started: float) -> None:
    portal.create()
    _timed(portal, "database", started)
    portal.ckan("learning", "init")
    _timed(portal, "demo content", started)
    portal.serve()
    _timed(portal, "serving", started)
    portal.bootstrap("none")  # a token, to edit records between harvests


def _set_up_target(portal: P.Portal, started: float, fluent: bool) -> None:
    portal.create("harvest")
    _timed(portal, "database", started)
    portal.start_consumers()
    portal.serve()
    _timed(portal, "serving", started)
    portal.bootstrap("fluent" if fluent else "plain")
    _timed(portal, "token and organisation", started)


class Portals:
    """The running portals and the session's deadline."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + BUDGET
        self.source = source_portal()
        self.fluent = fluent_target()
        self.plain = plain_target("cso-plain", "ckan_learning_harvest_plain", 10)
        self.plain_km = plain_target("cso-plain-km", "ckan_learning_harvest_plain_km", 11)
        self.dcat = dcat_target()
        self.targets = [self.fluent, self.plain, self.plain_km, self.dcat]
        self.all = [self.source, *self.targets]

    def start(self) -> None:
        with ThreadPoolExecutor(len(self.all)) as pool:
            futures = [pool.submit(_set_up_source, self.source, self.started)]
            futures += [pool.submit(_set_up_target, t, self.started,
                                    "learning_fluent" in t.settings["ckan.plugins"]
                                    and "scheming_organizations" in t.settings["ckan.plugins"])
                        for t in self.targets]
            for future in futures:
                future.result()

    def stop(self) -> None:
        for portal in self.all:
            portal.stop()


def run_harvests(portals: Portals) -> dict[str, Any]:
    """One harvest job on each target, run to its end: the CKAN harvester
    on three of them, the DCAT harvester (our /catalog.ttl) on the fourth."""
    src = portals.source.url
    runs = {portals.fluent.name: (portals.fluent, src, "ckan", CKAN_CONFIG)}
    runs.update({t.name: (t, f"{src}/learning/core-fields/{PLAIN[t.name]}", "ckan", CKAN_CONFIG)
                 for t in (portals.plain, portals.plain_km)})
    runs[portals.dcat.name] = (portals.dcat, f"{src}/catalog.ttl", "dcat_rdf",
                               {"rdf_format": "text/turtle"})
    with ThreadPoolExecutor(len(runs)) as pool:
        futures = {name: pool.submit(P.harvest, *args, "learning-platform", portals.deadline)
                   for name, args in runs.items()}
        jobs = {name: future.result() for name, future in futures.items()}
    source = portals.source.records()
    assert len(source) >= 30, "the demo content is ~30 published records"
    found = {portals.fluent.name: portals.fluent.records(f"dataset_type:{TYPE}")}
    found.update({t.name: t.records("dataset_type:dataset")
                  for t in (portals.plain, portals.plain_km, portals.dcat)})
    return {"jobs": jobs, "source": source, **found}


PATHS = {"cso-fluent": "CKAN harvester → CSO portal (fluent schema)",
         "cso-dcat": "DCAT harvester (/catalog.ttl) → CSO portal (cso_portal_dcat_schema)",
         "cso-plain": "CKAN harvester (/learning/core-fields/en) → stock CKAN portal",
         "cso-plain-km": "CKAN harvester (/learning/core-fields/km) → stock CKAN portal"}


def transfer_rows(harvested: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {path: P.transfer(harvested["source"], harvested[name])
            for name, path in PATHS.items()}
