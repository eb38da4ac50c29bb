"""The portals of the harvest tests (issue 15): ours as the source, with the
demo content of ``ckan learning init``, and the CSO portals that harvest it;
the harvests and the transfer table.  Shared by ``conftest.py`` and
``bench/harvest_table.py``."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ckanext.learning.tests.harvest import portals as P

#: The whole session (set-up, harvests, checks) must finish within this.
BUDGET = 235
#: What the CKAN harvester copies (it keeps ``type``, and has no setting to
#: map it): every target's schema declares it.
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


def plain_target(name: str = "cso-plain", database: str = "ckan_learning_harvest_plain",
                 redis_db: int = 10, plugins: str = P.PLAIN_PLUGINS) -> P.Portal:
    """(b): core CKAN fields only (harvest/plain_portal_schema.yaml)."""
    portal = P.Portal(name, database, redis_db, {
        "ckan.plugins": plugins,
        "scheming.dataset_schemas": ("ckanext.learning.harvest:plain_portal_schema.yaml "
                                     "ckanext.scheming:ckan_dataset.yaml"),
        "licenses_group_url": LICENSES,
    })
    portal.write_ini()
    return portal


def khmer_tags_target() -> P.Portal:
    """(b) with our learning_fluent plugin for its Khmer tag validator only:
    the schema still has core fields alone."""
    return plain_target("cso-plain-km-tags", "ckan_learning_harvest_plain_km", 11,
                        P.PLAIN_PLUGINS + " learning_fluent")


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
        self.plain = plain_target()
        self.plain_km = khmer_tags_target()
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
    runs = {t.name: (t, src, "ckan", CKAN_CONFIG)
            for t in (portals.fluent, portals.plain, portals.plain_km)}
    runs[portals.dcat.name] = (portals.dcat, f"{src}/catalog.ttl", "dcat_rdf",
                               {"rdf_format": "text/turtle"})
    with ThreadPoolExecutor(len(runs)) as pool:
        futures = {name: pool.submit(P.harvest, *args, "learning-platform", portals.deadline)
                   for name, args in runs.items()}
        jobs = {name: future.result() for name, future in futures.items()}
    source = portals.source.records()
    assert len(source) >= 30, "the demo content is ~30 published records"
    found = {t.name: t.records(f"dataset_type:{TYPE}")
             for t in (portals.fluent, portals.plain, portals.plain_km)}
    found[portals.dcat.name] = portals.dcat.records("dataset_type:dataset")
    return {"jobs": jobs, "source": source, **found}


PATHS = {"cso-fluent": "CKAN harvester → CSO portal (fluent schema)",
         "cso-dcat": "DCAT harvester (/catalog.ttl) → CSO portal (cso_portal_dcat_schema)",
         "cso-plain": "CKAN harvester → plain portal (stock tags)",
         "cso-plain-km-tags": "CKAN harvester → plain portal + learning_fluent (Khmer tags)"}


def transfer_rows(harvested: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {path: P.transfer(harvested["source"], harvested[name])
            for name, path in PATHS.items()}
