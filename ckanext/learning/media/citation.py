"""How to cite a record: plain text (author-date, as APA lays it out),
BibTeX and RIS, from the record's own fields.

The title is given in the reader's language with the other language's
title beside it; the author is the record's author, else its corporate
author, else the organisation that shared it.  BibTeX is written by
bibtexparser with LaTeX's special characters escaped (Khmer stays UTF-8,
which biber and Zotero read); RIS by rispy, one line per value.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import bibtexparser
import ckan.plugins.toolkit as tk
import rispy
from bibtexparser.model import Entry, Field

from ckanext.learning.fluent import languages

__all__ = ["Citation", "citation_of", "plain_text", "bibtex", "ris", "FORMATS"]

#: format -> (file extension, media type)
FORMATS = {"text": ("txt", "text/plain"), "bibtex": ("bib", "application/x-bibtex"),
           "ris": ("ris", "application/x-research-info-systems")}

#: the record's ``resource_type`` -> (BibTeX entry type, RIS reference type)
TYPES = {"report": ("techreport", "RPRT"), "case_study": ("techreport", "RPRT"),
         "lessons_learned": ("techreport", "RPRT"), "policy_legal": ("misc", "GOVDOC"),
         "video": ("misc", "VIDEO"), "audio": ("misc", "SOUND"),
         "dataset": ("misc", "DATA"), "presentation": ("misc", "SLIDE"),
         "training_material": ("misc", "GEN"), "toolkit": ("misc", "GEN"),
         "iec_material": ("misc", "PAMP")}

LANGUAGE_NAMES = {"km": "Khmer", "en": "English"}

_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
          "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}",
          "~": r"\textasciitilde{}"}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


@dataclass
class Citation:
    key: str
    title: str
    other_title: str
    authors: list[str]
    corporate: bool        # the authors are organisations, not people
    year: str
    publisher: str
    place: str
    url: str
    type_value: str
    type_label: str
    site: str
    languages: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    isbn: str = ""
    abstract: str = ""


def _text(value: Any, lang: str) -> tuple[str, str | None]:
    text, used = languages.pick(languages.load(value), lang)
    return (" ".join(str(text).split()) if text else ""), used


def _as_list(value: Any) -> list[str]:
    loaded = languages.load(value) if isinstance(value, str) else value
    if isinstance(loaded, str):
        return [loaded] if loaded else []
    return [str(v) for v in loaded or []]


def _names(value: Any, lang: str) -> list[str]:
    text, _used = _text(value, lang)
    return [n.strip() for n in re.split(r"\s*;\s*", text) if n.strip()]


def _organization_name(org: dict[str, Any], lang: str) -> str:
    """The organisation's name in ``lang`` (the record's ``organization``
    carries core's fields only; the names in both languages are extras)."""
    import ckan.model as model

    found = model.Group.get(org.get("id") or org.get("name") or "") if org else None
    if found is not None:
        name, _used = _text(found.extras.get("title_translated"), lang)
        if name:
            return name
    return org.get("title") or org.get("name") or ""


def _choice_label(pkg: dict[str, Any], field_name: str, value: str, lang: str) -> str:
    """A choice's label in ``lang`` from the record's schema (scheming)."""
    if not value:
        return ""
    schema = tk.h.scheming_get_dataset_schema(pkg.get("type") or "dataset") or {}
    for schema_field in schema.get("dataset_fields", []):
        if schema_field["field_name"] != field_name:
            continue
        for choice in schema_field.get("choices") or []:
            if choice["value"] == value:
                label = choice.get("label") or value
                return label.get(lang) or label.get("en") or value if isinstance(
                    label, dict) else str(label)
    return value


def _site_title(lang: str) -> str:
    """``ckan.site_title`` in ``lang`` (the catalogue translates the portal's)."""
    from flask import has_request_context
    from flask_babel import force_locale

    title = tk.config.get("ckan.site_title") or ""
    if not title or not has_request_context():
        return title
    with force_locale(lang):
        return tk._(title)


def citation_of(pkg: dict[str, Any], lang: str) -> Citation:
    """The citation of a record as ``package_show`` gives it, in ``lang``."""
    other = "en" if lang == "km" else "km"
    title, used = _text(pkg.get("title_translated") or pkg.get("title"), lang)
    other_title = ""
    translated = languages.load(pkg.get("title_translated"))
    if isinstance(translated, dict):
        candidate = " ".join(str(translated.get(other if used == lang else lang) or
                                 "").split())
        if candidate and candidate != title:
            other_title = candidate
    org = pkg.get("organization") or {}
    org_name = _organization_name(org, lang)
    people = _names(pkg.get("marc21_100"), lang) + _names(pkg.get("marc21_700"), lang)
    bodies = _names(pkg.get("marc21_110"), lang) + _names(pkg.get("marc21_710"), lang)
    authors, corporate = (people, False) if people else ((bodies, True) if bodies
                                                          else ([org_name], True))
    year = str(pkg.get("marc21_260c") or (pkg.get("metadata_created") or "")[:4]
               or dt.date.today().year)
    type_value = pkg.get("resource_type") or ""
    type_label = _choice_label(pkg, "resource_type", type_value, lang)
    keywords = languages.load(pkg.get("keywords"))
    words = (keywords.get(lang) or []) + (keywords.get(other) or []) if isinstance(
        keywords, dict) else _as_list(keywords)
    abstract, _lang = _text(pkg.get("notes_translated") or pkg.get("notes"), lang)
    return Citation(
        key=re.sub(r"[^A-Za-z0-9_-]", "", pkg["name"]) + year,
        title=title, other_title=other_title, authors=[a for a in authors if a],
        corporate=corporate, year=year,
        publisher=_text(pkg.get("marc21_260b"), lang)[0] or org_name,
        place=_text(pkg.get("marc21_260a"), lang)[0],
        url=tk.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"],
                       _external=True),
        type_value=type_value, type_label=type_label,
        site=_site_title(lang),
        languages=[LANGUAGE_NAMES.get(v, v) for v in _as_list(pkg.get("language"))],
        keywords=list(dict.fromkeys(w for w in words if w)),
        isbn=pkg.get("marc21_020") or "",
        abstract=abstract)


def plain_text(c: Citation) -> str:
    """Author. (Year). Title [Other title] [Type]. Publisher. Site. URL"""
    names = c.authors or [c.publisher]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]
    parts = [_sentence(who), f"({c.year})."]
    title = c.title + (f" [{c.other_title}]" if c.other_title else "")
    title += f" [{c.type_label}]" if c.type_label else ""
    parts.append(_sentence(title))
    if c.publisher and c.publisher not in c.authors:
        parts.append(_sentence(c.publisher))
    if c.site:
        parts.append(_sentence(c.site))
    parts.append(c.url)
    return " ".join(p for p in parts if p)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!។" else text + "."


def latex_escaped(text: str) -> str:
    """``text`` with LaTeX's special characters as commands; other
    characters (Khmer included) are kept as they are."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def bibtex(c: Citation) -> str:
    entry_type = TYPES.get(c.type_value, ("misc", "GEN"))[0]
    authors = [("{" + latex_escaped(a) + "}") if c.corporate else latex_escaped(a)
               for a in c.authors]
    fields = [("author", " and ".join(authors)), ("title", latex_escaped(c.title))]
    if c.other_title:
        fields.append(("titleaddon", latex_escaped(f"[{c.other_title}]")))
    fields.append(("year", c.year))
    if entry_type == "techreport":
        fields.append(("institution", latex_escaped(c.publisher)))
        if c.type_label:
            fields.append(("type", latex_escaped(c.type_label)))
    else:
        fields.append(("publisher", latex_escaped(c.publisher)))
        fields.append(("howpublished", latex_escaped(c.site)))
        if c.type_label:
            fields.append(("type", latex_escaped(c.type_label)))
    if c.place:
        fields.append(("address", latex_escaped(c.place)))
    if c.languages:
        fields.append(("language", latex_escaped(" and ".join(c.languages))))
    if c.isbn:
        fields.append(("isbn", latex_escaped(c.isbn)))
    if c.keywords:
        fields.append(("keywords", latex_escaped(", ".join(c.keywords))))
    fields.append(("url", c.url))  # verbatim in biblatex: never escaped
    entry = Entry(entry_type, c.key, [Field(k, v) for k, v in fields if v])
    return bibtexparser.write_string(bibtexparser.Library([entry]))


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> None:
        """No "1." before the record: one record, and importers expect TY first."""
        return None


def ris(c: Citation) -> str:
    record: dict[str, Any] = {
        "type_of_reference": TYPES.get(c.type_value, ("misc", "GEN"))[1],
        "title": c.title, "authors": c.authors, "year": c.year,
        "publisher": c.publisher, "urls": [c.url], "name_of_database": c.site,
    }
    optional = {"translated_title": c.other_title, "place_published": c.place,
                "type_of_work": c.type_label, "language": ", ".join(c.languages),
                "issn": c.isbn, "abstract": c.abstract}
    record.update({k: v for k, v in optional.items() if v})
    if c.keywords:
        record["keywords"] = c.keywords
    return rispy.dumps([record], implementation=_RisWriter)
