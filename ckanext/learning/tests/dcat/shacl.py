"""DCAT-AP 3.0.0's SHACL shapes, read from ``<repo>/../shared/dcat-ap/``, and a
validation report a test can assert on.

The shapes are SEMIC's release files, unchanged on disk.  One erratum is
corrected in memory, as SEMIC corrected it in DCAT-AP 3.0.1 (the only change
to these three files between the releases, SEMICeu/DCAT-AP#422): 3.0.0's
``shapes.ttl`` still types ``dcat:byteSize`` as ``xsd:decimal`` where the
specification (and DCAT 3) says ``xsd:nonNegativeInteger``.
:func:`byte_size_erratum_present` pins that the correction still applies.
"""
from __future__ import annotations

import collections
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, XSD

SH = Namespace("http://www.w3.org/ns/shacl#")

#: ``<repo>/../shared/dcat-ap/``
SHAPES_DIR = Path(os.environ.get("LEARNING_SHARED_DIR")
                  or Path(__file__).resolve().parents[4].parent / "shared") / "dcat-ap"
MANDATORY = "dcat-ap-3.0.0-shapes.ttl"
RANGES = "dcat-ap-3.0.0-range.ttl"
RECOMMENDED = "dcat-ap-3.0.0-shapes-recommended.ttl"


def _byte_size_shapes(shapes: Graph) -> list:
    return [node for node in shapes.subjects(SH.path, DCAT.byteSize)
            if (node, SH.datatype, None) in shapes]


@lru_cache(maxsize=8)
def _shapes(names: tuple[str, ...], corrected: bool) -> Graph:
    shapes = Graph()
    for name in names:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    if corrected:
        for node in _byte_size_shapes(shapes):
            shapes.set((node, SH.datatype, XSD.nonNegativeInteger))
    return shapes


def byte_size_erratum_present() -> bool:
    """Whether the file on disk still has 3.0.0's ``xsd:decimal`` byte size."""
    shapes = _shapes((MANDATORY,), corrected=False)
    return [shapes.value(n, SH.datatype) for n in _byte_size_shapes(shapes)] == [XSD.decimal]


@dataclass
class Report:
    conforms: bool
    #: (severity, path, constraint component, focus node) per result
    results: list[tuple[str, str, str, str]] = field(default_factory=list)
    text: str = ""

    def of(self, severity: str) -> list[tuple[str, str, str, str]]:
        return [r for r in self.results if r[0] == severity]

    @property
    def violations(self) -> list[tuple[str, str, str, str]]:
        return self.of("Violation")

    @property
    def warnings(self) -> list[tuple[str, str, str, str]]:
        return self.of("Warning")

    def summary(self, severity: str = "Violation") -> dict[tuple[str, str], int]:
        """(path, constraint) → number of results of ``severity``."""
        return dict(collections.Counter((r[1], r[2]) for r in self.of(severity)))


def _short(node: object) -> str:
    return str(node).rsplit("#", 1)[-1] if node is not None else ""


def validate_graph(data: Graph, *names: str, corrected: bool = True) -> Report:
    """Validate ``data`` against the named shape files (all three by default)."""
    shapes = _shapes(tuple(names or (MANDATORY, RANGES, RECOMMENDED)), corrected)
    conforms, results_graph, text = validate(data, shacl_graph=shapes, inference="none",
                                             allow_warnings=True)
    results = []
    for result in results_graph.subjects(SH.resultSeverity, None):
        results.append((_short(results_graph.value(result, SH.resultSeverity)),
                        str(results_graph.value(result, SH.resultPath)),
                        _short(results_graph.value(result, SH.sourceConstraintComponent)),
                        str(results_graph.value(result, SH.focusNode))))
    return Report(conforms=conforms, results=sorted(results), text=text)
