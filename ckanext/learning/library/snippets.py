"""The passage of a search result that matched, with the words marked.

A search result's card shows why it was found: the part of its summary (in
the page's language first) that holds a word of the query, the words in
``<mark>``; or, for a record found only by the text of one of its
documents, the passage of that document and its page.  Khmer is compared
in its normal spelling (``khmer.normalize``) and cut only between character
clusters, so no passage starts or ends on half a syllable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from markupsafe import Markup, escape

from ckanext.learning.khmer import has_khmer, normalize

__all__ = ["Snippet", "query_words", "passage", "snippets_of", "snippet_of"]

#: Characters of a passage around its first match.
WIDTH = 180
#: Of which before the match.
BEFORE = 50

#: What is query syntax, not a word: field names, operators, brackets.
_FIELD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_.]*:")
_SYNTAX = re.compile(r'[()"\[\]{}+!^~*?\\/:]|(?<!\w)-|\b(?:AND|OR|NOT|TO)\b')
_KHMER_CLUSTER_START = re.compile("[\u1780-\u17b3]")


@dataclass
class Snippet:
    html: Markup
    #: the passage's language (its page marks it, for readers and screen readers)
    lang: str
    #: set for a passage of a document: its name and page (from 1)
    document: str = ""
    page: int = 0


def _language_of(text: str) -> str:
    return "km" if has_khmer(text) else "en"


def query_words(q: str) -> list[str]:
    """The words of a search query (lower case, Khmer normalised), without
    Lucene syntax; Latin words of one letter are no words."""
    text = _SYNTAX.sub(" ", _FIELD.sub(" ", q or ""))
    words = []
    for token in text.split():
        token = normalize(token)
        if has_khmer(token) or len(token) > 1:
            words.append(token.lower())
    return list(dict.fromkeys(words))


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where ``words`` stand in ``text`` (already lower case): Khmer
    anywhere (no spaces between its words), Latin from a word's start."""
    found = []
    for word in words:
        pattern = re.escape(word) if has_khmer(word) else r"(?<!\w)" + re.escape(word)
        found += [m.span() for m in re.finditer(pattern, text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _boundary(text: str, at: int, forward: bool) -> int:
    """The nearest place at or around ``at`` where a passage may be cut:
    a space, or the start of a Khmer cluster (a consonant or independent
    vowel, never a sign or coeng)."""
    at = max(0, min(len(text), at))
    step = 1 if forward else -1
    limit = len(text) if forward else 0
    for pos in range(at, limit, step):
        if text[pos - 1:pos].isspace() or (
                _KHMER_CLUSTER_START.match(text[pos]) and text[pos - 1:pos] != "\u17d2"):
            return pos
    return limit


def passage(text: str, words: list[str]) -> Markup | None:
    """The part of ``text`` around its first match, the words marked; None
    when no word is in it."""
    text = normalize(re.sub(r"\s+", " ", text or "")).strip()
    spans = _spans(text.lower(), words)
    if not spans:
        return None
    first = spans[0][0]
    start = 0 if first <= BEFORE else _boundary(text, first - BEFORE, forward=True)
    start = min(start, first)
    end = len(text) if start + WIDTH >= len(text) else _boundary(
        text, start + WIDTH, forward=False)
    end = max(end, spans[0][1])
    parts = [Markup("…")] if start else []
    pos = start
    for s, e in spans:
        if s >= end:
            break
        if s < pos:
            continue
        parts += [escape(text[pos:s]), Markup("<mark>"), escape(text[s:min(e, end)]),
                  Markup("</mark>")]
        pos = min(e, end)
    parts.append(escape(text[pos:end]))
    if end < len(text):
        parts.append(Markup("…"))
    return Markup("").join(parts)


def _texts(translated: Any, lang: str) -> list[tuple[str, str]]:
    """(language, text) of a field, the page's language first."""
    if isinstance(translated, dict):
        return [(code, translated[code]) for code in dict.fromkeys((lang, *sorted(translated)))
                if translated.get(code)]
    return [(_language_of(translated), translated)] if translated else []


#: For each record, the first page of its documents that holds a word of
#: the query: one query for a whole page of results.
_DOCUMENT_PAGES = sa.text("""
    SELECT DISTINCT ON (r.package_id) r.package_id, r.id, page.number, page.text
      FROM learning_document_text d
      JOIN resource r ON r.id = d.resource_id AND r.state = 'active',
           jsonb_array_elements_text(d.pages) WITH ORDINALITY AS page(text, number)
     WHERE r.package_id = ANY(:package_ids) AND page.text ILIKE ANY(:patterns)
     ORDER BY r.package_id, r.position, page.number""")


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def snippets_of(packages: list[dict[str, Any]], q: str, lang: str
                ) -> dict[str, Snippet]:
    """Why each of ``packages`` (a page of results) matched ``q``, by id: a
    passage of its summary, else of the first page of its documents that
    holds a word of the query; a record whose title says why has none."""
    words = query_words(q)
    if not words:
        return {}
    found: dict[str, Snippet] = {}
    in_documents = []
    for package in packages:
        snippet = _summary_snippet(package, words, lang)
        if snippet:
            found[package.get("id")] = snippet
        elif not any(_spans(normalize(t).lower(), words) for _code, t in _texts(
                package.get("title_translated") or package.get("title"), lang)):
            in_documents.append(package)
    if in_documents:
        rows = model.Session.execute(_DOCUMENT_PAGES, {
            "package_ids": [p["id"] for p in in_documents],
            "patterns": [_like(w) for w in words]})
        by_id = {p["id"]: p for p in in_documents}
        for package_id, resource_id, number, text in rows:
            snippet = _document_snippet(by_id[package_id], resource_id, int(number),
                                        text, words, lang)
            if snippet:
                found[package_id] = snippet
    return found


def snippet_of(package: dict[str, Any], q: str, lang: str) -> Snippet | None:
    """Why one record matched ``q`` (see ``snippets_of``)."""
    return snippets_of([package], q, lang).get(package.get("id"))


def _summary_snippet(package: dict[str, Any], words: list[str], lang: str
                     ) -> Snippet | None:
    for code, text in _texts(package.get("notes_translated") or package.get("notes"), lang):
        html = passage(text, words)
        if html:
            return Snippet(html, code)
    return None


def _document_snippet(package: dict[str, Any], resource_id: str, number: int, text: str,
                      words: list[str], lang: str) -> Snippet | None:
    html = passage(text, words)
    if not html:  # matched in another spelling or case than ours
        return None
    resource = next((r for r in package.get("resources") or [] if r.get("id") == resource_id),
                    {})
    names = _texts(resource.get("name_translated") or resource.get("name"), lang)
    name = names[0][1] if names else ""
    return Snippet(html, _language_of(text), document=name, page=number)
