"""A running portal's whole catalogue against DCAT-AP 3.0.0's SHACL shapes.

The tests (``ckanext/learning/tests/dcat/test_shacl.py``) validate a small
catalogue of their own; this reads a live portal's ``/catalog.ttl``, every
page of it (``hydra:next``), e.g. ``make run``'s demo content, and prints
the violations and warnings per shape file and the warnings by property.
The shapes are read from ``../shared/dcat-ap/`` as in the tests.

    .venv/bin/python bench/dcat_shacl.py [--url http://127.0.0.1:5000]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import requests
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, RDF

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ckanext.learning.tests.dcat import shacl  # noqa: E402

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


def catalogue(url: str) -> tuple[Graph, int]:
    """Every page of ``url``/catalog.ttl in one graph, and the page count."""
    graph, pages, next_page = Graph(), 0, f"{url.rstrip('/')}/catalog.ttl"
    while next_page:
        page = Graph().parse(data=requests.get(next_page, timeout=300).text,
                             format="turtle")
        graph += page
        pages += 1
        following = list(page.objects(None, HYDRA.next))
        next_page = str(following[0]) if following else None
    return graph, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    args = parser.parse_args()
    graph, pages = catalogue(args.url)
    print(f"{args.url}: {pages} page(s), "
          f"{len(set(graph.subjects(RDF.type, DCAT.Dataset)))} datasets, "
          f"{len(set(graph.subjects(RDF.type, DCAT.Distribution)))} distributions")
    runs = {"mandatory": (shacl.MANDATORY,), "ranges": (shacl.RANGES,),
            "mandatory + ranges + recommended": (shacl.MANDATORY, shacl.RANGES,
                                                 shacl.RECOMMENDED)}
    for name, shapes in runs.items():
        report = shacl.validate_graph(graph, *shapes)
        print(f"{name}: {len(report.violations)} violations, "
              f"{len(report.warnings)} warnings")
    for (path, component), count in sorted(report.summary("Warning").items(),
                                           key=lambda item: -item[1]):
        print(f"  {count:4}  {path}  {component}")


if __name__ == "__main__":
    main()
