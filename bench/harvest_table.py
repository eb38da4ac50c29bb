"""The transfer table of issue 15: what each harvest path carries of the demo
content from this portal into a CSO's own portal.

Starts the same portals as ``ckanext/learning/tests/harvest`` (ours with
``ckan learning init``'s demo content; CSO portals harvesting it with
ckanext-harvest's CKAN harvester and ckanext-dcat's RDF harvester, through
their real queues and consumers), runs one harvest on each, prints the table
as Markdown and stops every process it started.

    .venv/bin/python bench/harvest_table.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ckanext.learning.tests.harvest import portals as P  # noqa: E402
from ckanext.learning.tests.harvest.stack import Portals, run_harvests, transfer_rows  # noqa: E402


def main() -> None:
    portals = Portals()
    try:
        portals.start()
        harvested = run_harvests(portals)
        print(f"\nDemo content: {len(harvested['source'])} published records\n")
        print(P.table(transfer_rows(harvested)))
        for name, job in harvested["jobs"].items():
            print(f"- {name}: {job.get('stats')}")
        print(f"\n({time.monotonic() - portals.started:.0f} s)")
    finally:
        portals.stop()


if __name__ == "__main__":
    main()
