"""``learning_schemaorg``: the schema.org JSON-LD of the record pages, in the page's language.

ckanext-dcat's ``structured_data`` plugin writes the JSON-LD of a dataset
page from the profiles of ``ckanext.dcat.structured_data.profiles``; our
templates add the same to each resource page.  This profile is ckanext-dcat's
``schemaorg`` with the texts picked in the page's language (falling back to
the other one, as the page does): name, description, keywords, themes,
publisher and the files' names and descriptions; the documents' own
languages as ``inLanguage``; the record's page, publication year, licence
and each file's media type and download URL.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef

from ckanext.dcat.profiles import SchemaOrgProfile
from ckanext.dcat.profiles.base import RDF, SCHEMA
from ckanext.learning.dcat import records
from ckanext.learning.dcat import themes as theme_scheme
from ckanext.learning.dcat import vocabularies as vocab
from ckanext.learning.fluent import languages
from ckanext.learning.themes.catalogue import themes

#: Codes of the schema's languages that are languages (``other`` is not).
_LANGUAGE_CODES = tuple(vocab.LANGUAGES)


def _in_page_language(value: Any, fallback: Any = None) -> str | None:
    text, _lang = languages.pick(records.texts(value), languages.ui_language())
    return text or fallback or None


def _language_codes(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    codes: list[str] = []
    for code in value or []:
        for each in vocab.BOTH_LANGUAGES.get(code, (code,)):
            if each in _LANGUAGE_CODES and each not in codes:
                codes.append(each)
    return codes


class LearningSchemaOrgProfile(SchemaOrgProfile):
    """ckanext-dcat's schema.org profile, in the page's language."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        page = dict(dataset_dict)
        page["title"] = _in_page_language(dataset_dict.get("title_translated"),
                                          dataset_dict.get("title"))
        page["notes"] = _in_page_language(dataset_dict.get("notes_translated"),
                                          dataset_dict.get("notes"))
        page["language"] = _language_codes(dataset_dict.get("language"))
        if dataset_dict.get("marc21_260c"):
            page["issued"] = str(dataset_dict["marc21_260c"])
        if dataset_dict.get("organization"):
            org = records.organization(dataset_dict["organization"]["id"], cache_on=self.g)
            if org:
                page["organization"] = dict(
                    dataset_dict["organization"],
                    title=_in_page_language(records.organization_names(org), org["title"]))
        page["resources"] = [self._resource(dataset_dict, r)
                             for r in dataset_dict.get("resources") or []]
        super().graph_from_dataset(page, dataset_ref)

    def _resource(self, dataset_dict: dict[str, Any], resource: dict[str, Any]
                  ) -> dict[str, Any]:
        out = dict(resource)
        out["name"] = _in_page_language(resource.get("name_translated"), resource.get("name"))
        out["description"] = _in_page_language(resource.get("description_translated"),
                                               resource.get("description"))
        out["language"] = _language_codes(resource.get("language"))
        out["license"] = resource.get("license") or dataset_dict.get("license_url") or None
        media_type = vocab.media_type_uri(resource.get("mimetype"), resource.get("format"))
        if media_type:
            out["mimetype"] = media_type.removeprefix(vocab.IANA_MEDIA_TYPES)
            out["format"] = None
        if resource.get("url_type") == "upload":
            out["download_url"] = resource.get("url")
            out["url"] = records.resource_page(dataset_dict, resource, locale=None)
        return out

    def _basic_fields_graph(self, dataset_ref: Any, dataset_dict: dict[str, Any]) -> None:
        super()._basic_fields_graph(dataset_ref, dataset_dict)
        # ckanext-dcat links the page of type ``dataset``; ours is the record's
        # type, in the page's language
        self.g.remove((dataset_ref, SCHEMA.url, None))
        self.g.add((dataset_ref, SCHEMA.url,
                    Literal(records.landing_page(dataset_dict, locale=None))))
        # ckanext-dcat adds the date as given and as a parsed date-time: one
        # date (the publication year, else when the record was published)
        self.g.remove((dataset_ref, SCHEMA.datePublished, None))
        published = dataset_dict.get("issued") or dataset_dict.get("metadata_created")
        if published:
            self.g.add((dataset_ref, SCHEMA.datePublished, Literal(str(published))))

    def _agent_graph(self, dataset_ref: Any, dataset_dict: dict[str, Any],
                     agent_type: Any, schema_property_prefix: str) -> None:
        """The publisher as ckanext-dcat has it (the organisation); the
        creators are the record's authors (``marc21_100``, ``marc21_110``),
        not the organisation again."""
        if schema_property_prefix != "creator":
            super()._agent_graph(dataset_ref, dataset_dict, agent_type,
                                 schema_property_prefix)
            return
        for field, kind in (("marc21_100", SCHEMA.Person), ("marc21_110", SCHEMA.Organization)):
            name = _in_page_language(dataset_dict.get(field))
            if name:
                creator = BNode()
                self.g.add((creator, RDF.type, kind))
                self.g.add((creator, SCHEMA.name, Literal(name)))
                self.g.add((dataset_ref, SCHEMA.creator, creator))

    def _tags_graph(self, dataset_ref: Any, dataset_dict: dict[str, Any]) -> None:
        words = languages.load(dataset_dict.get("keywords"))
        chosen, _lang = languages.pick(
            {lang: list(w) for lang, w in words.items() if isinstance(w, list) and w},
            languages.ui_language())
        for word in chosen or [t["name"] for t in dataset_dict.get("tags") or []]:
            self.g.add((dataset_ref, SCHEMA.keywords, Literal(word)))

    def _groups_graph(self, dataset_ref: Any, dataset_dict: dict[str, Any]) -> None:
        """The themes, named in the page's language, identified by their concept."""
        by_name = {t["name"]: t for t in themes()}
        lang = languages.ui_language()
        for name in theme_scheme.known(dataset_dict.get("themes") or []):
            theme = by_name[name]
            about = BNode()
            self.g.add((about, RDF.type, SCHEMA.Thing))
            self.g.add((about, SCHEMA.name, Literal(
                theme["title_km"] if lang == "km" else theme["title"])))
            self.g.add((about, SCHEMA.url, Literal(
                tk.url_for("group.read", id=name, _external=True))))
            self.g.add((about, SCHEMA.sameAs, URIRef(theme_scheme.concept_uri(name))))
            self.g.add((dataset_ref, SCHEMA.about, about))
