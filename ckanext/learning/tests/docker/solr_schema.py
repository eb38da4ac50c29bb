"""The Solr schema docker/solr/ builds, and what Solr would make of a field.

:func:`build_schema` makes the schema the way ``docker/solr/Dockerfile``
does: CKAN's ``schema.xml`` (here the installed CKAN's, the release the
Dockerfile downloads) with ``add-learning-fields.sh`` run on it.
:class:`SolrSchema` resolves a field name as Solr does: an explicit
``<field>`` first, else the longest matching ``<dynamicField>`` pattern.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import ckan

from ckanext.learning.tests.docker import DOCKER

SOLR_DIR = os.path.join(DOCKER, "solr")
CKAN_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")


def build_schema(workdir: str) -> str:
    """Path of the schema the Solr image holds, built in ``workdir``."""
    path = os.path.join(workdir, "managed-schema.xml")
    shutil.copyfile(CKAN_SCHEMA, path)
    subprocess.run([os.path.join(SOLR_DIR, "add-learning-fields.sh"), path,
                    os.path.join(SOLR_DIR, "learning-fields.xml")],
                   check=True, capture_output=True, text=True, timeout=30)
    return path


@dataclass
class Field:
    name: str
    declared_as: str  # the <field> name or <dynamicField> pattern
    type_name: str
    field_class: str
    multi_valued: bool
    indexed: bool
    stored: bool
    tokenizers: list[str]
    filters: list[str]
    filter_languages: list[str]

    @property
    def catch_all(self) -> bool:
        return self.declared_as == "*"


class SolrSchema:
    def __init__(self, path: str) -> None:
        self.root = ET.parse(path).getroot()
        self.name = self.root.get("name", "")
        self.types = {t.get("name"): t for t in self.root.iter("fieldType")}
        self.fields = {f.get("name"): f for f in self.root.iter("field")}
        self.dynamic = [(d.get("name"), d) for d in self.root.iter("dynamicField")]

    def _declaration(self, name: str) -> tuple[str, ET.Element] | None:
        if name in self.fields:
            return name, self.fields[name]
        for pattern, element in sorted(self.dynamic, key=lambda d: -len(d[0])):
            if (pattern == "*" or (pattern.startswith("*") and name.endswith(pattern[1:]))
                    or (pattern.endswith("*") and name.startswith(pattern[:-1]))):
                return pattern, element
        return None

    def field(self, name: str) -> Field | None:
        found = self._declaration(name)
        if found is None:
            return None
        declared_as, element = found
        field_type = self.types[element.get("type")]

        def attr(key: str, default: str = "false") -> bool:
            return (element.get(key) or field_type.get(key) or default) == "true"

        analyzers = field_type.findall("analyzer")
        tokenizers = [t.get("class", "") for a in analyzers for t in a.findall("tokenizer")]
        filters = [f for a in analyzers for f in a.findall("filter")]
        return Field(name=name, declared_as=declared_as, type_name=element.get("type"),
                     field_class=field_type.get("class", ""),
                     multi_valued=attr("multiValued"), indexed=attr("indexed", "true"),
                     stored=attr("stored", "true"),
                     tokenizers=tokenizers,
                     filters=[f.get("class", "") for f in filters],
                     filter_languages=[f.get("language", "") for f in filters])

    def copy_field_sources(self) -> list[str]:
        return [c.get("source") for c in self.root.iter("copyField")]
