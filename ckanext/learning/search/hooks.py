"""Khmer through CKAN's IPackageController hooks, whatever the engine.

Khmer is written without spaces between words, so neither Solr nor
PostgreSQL can find a word inside a sentence.  At index time the dataset gets
extra fields holding its Khmer text as space-separated word tokens
(``fields.TITLE_TOKENS`` for titles, ``fields.DOCUMENT_TOKENS`` for the text
read from its documents, ``fields.TEXT_TOKENS`` for everything else); at
query time each Khmer term becomes the phrase of its tokens
(:func:`segment_tree`).  Both engines therefore see the same segmented text.

Core's Solr client sends ``q`` on as a string, so for Solr the hook rewrites
the string (:func:`segment_query`); the PostgreSQL backend parses ``q`` once
and segments its own tree (``request.SearchRequest``).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from luqum import tree

from ckanext.learning import config, khmer
from ckanext.learning.search import lucene
from ckanext.learning.search.fields import (
    DOCUMENT_TEXT,
    DOCUMENT_TOKENS,
    TEXT_TOKENS,
    TITLE_TOKENS,
)

log = logging.getLogger(__name__)

__all__ = ["TEXT_TOKENS", "TITLE_TOKENS", "QUERY_FIELDS", "prepare_for_index",
           "add_segmented_text", "decode_json_values", "flatten_translations",
           "segment_query", "segment_string", "segment_tree", "whole_word_boost"]

#: Solr's default dismax fields plus the segmented Khmer ones.
#: The documents' text below everything else (``text`` is 1).
QUERY_FIELDS = ("name^4 title^4 tags^2 groups^2 text "
                f"{TITLE_TOKENS}^4 {TEXT_TOKENS} "
                f"{DOCUMENT_TEXT}^0.3 {DOCUMENT_TOKENS}^0.3")

#: Solr: a long Khmer term's own words, where a field holds them, add this
#: much per occurrence (``bf``) to dismax's score (``QUERY_FIELDS``' weights).
WHOLE_WORD_BOOSTS = ((TITLE_TOKENS, 4), (TEXT_TOKENS, 1))
#: Multilingual tag fields whose values also index as CKAN tags.
TAG_FIELDS = ("keywords",)
#: Fielded Khmer searches on tokenised fields go to the segmented field.
_FIELD_TOKENS = {"title": TITLE_TOKENS, "notes": TEXT_TOKENS, DOCUMENT_TEXT: DOCUMENT_TOKENS}
#: Title fields (translated titles included) rank above other text.
_TITLE_KEYS = ("title", "title_km", "title_en", "title_translated")
_SKIP_KEYS = {"data_dict", "validated_data_dict", TITLE_TOKENS, TEXT_TOKENS,
              DOCUMENT_TEXT, DOCUMENT_TOKENS,
              "title_string", "id", "index_id", "site_id", "name",
              "permission_labels", "res_url", "url", "urls"}


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):  # multilingual {lang: text}
        for v in value.values():
            yield from _strings(v)


def _khmer_tokens(texts: Iterable[str]) -> str:
    tokens: list[str] = []
    for text in texts:
        if khmer.has_khmer(text):
            tokens.extend(t for t in khmer.index_tokens(text) if khmer.has_khmer(t))
    return " ".join(tokens)


def _is_extra_copy(pkg_dict: dict[str, Any], key: str) -> bool:
    """Core indexes each extra twice (``extras_X`` and ``X``): count it once."""
    return key.startswith("extras_") and key[len("extras_"):] in pkg_dict


def add_segmented_text(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: add the Khmer word tokens of the dataset, its
    titles', the rest of its metadata's and its documents' apart."""
    titles = [v for k in _TITLE_KEYS for v in _strings(pkg_dict.get(k))]
    others = [v for k, value in pkg_dict.items()
              if k not in _SKIP_KEYS and k not in _TITLE_KEYS
              and not _is_extra_copy(pkg_dict, k)
              for v in _strings(value)]
    for name, texts in ((TITLE_TOKENS, titles), (TEXT_TOKENS, others),
                        (DOCUMENT_TOKENS, _strings(pkg_dict.get(DOCUMENT_TEXT)))):
        tokens = _khmer_tokens(texts)
        if tokens:
            pkg_dict[name] = tokens
    return pkg_dict


def decode_json_values(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: scheming stores lists and ``{lang: text}`` as
    JSON strings in extras; index the values, not their JSON.  Core's
    ``extras_*`` copies stay strings (single-valued text fields in Solr),
    their strings joined: as JSON their keys (``en``, ``km``) would be words
    of every record."""
    for key, value in list(pkg_dict.items()):
        if (key in ("data_dict", "validated_data_dict")
                or not isinstance(value, str) or value[:1] not in ("[", "{")):
            continue
        try:
            decoded = json.loads(value)
        except ValueError:
            continue
        if isinstance(decoded, (list, dict)):
            pkg_dict[key] = (" ".join(s for s in _strings(decoded) if s)
                             if key.startswith("extras_") else decoded)
    return pkg_dict


def prepare_for_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Everything the extension adds to a dataset's index document."""
    return flatten_translations(add_segmented_text(decode_json_values(pkg_dict)))


def flatten_translations(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: ``{lang: value}`` fields become ``field_lang``.

    Neither engine indexes an object; ``title_translated`` becomes
    ``title_translated_km`` / ``title_translated_en`` (filterable, facetable),
    and multilingual keywords also count as the dataset's tags, so the tags
    facet and ``tags:`` queries see them in both languages.
    """
    for key in [k for k, v in pkg_dict.items() if isinstance(v, dict)]:
        if key in ("data_dict", "validated_data_dict"):
            continue
        value = pkg_dict.pop(key)
        for lang, text in value.items():
            if isinstance(lang, str) and lang.isidentifier():
                pkg_dict[f"{key}_{lang}"] = text
        if key in TAG_FIELDS:
            tags = list(pkg_dict.get("tags") or [])
            for words in value.values():
                tags.extend(w for w in _strings(words) if w not in tags)
            pkg_dict["tags"] = tags
    return pkg_dict


def segment_query(search_params: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_search: give Solr's dismax the token fields and, for an
    engine that receives ``q`` as a string (core's Solr client), turn each
    Khmer term of ``q`` into its tokens, with a boost (``bf``) for the long
    terms found as whole words.  A backend that parses ``q`` itself
    (``SearchBackend.segments_khmer``) is left the original to segment."""
    search_params.setdefault("qf", QUERY_FIELDS)
    q = search_params.get("q")
    if isinstance(q, str) and khmer.has_khmer(q) and not _engine_segments_khmer():
        node = _segmented(q)
        if node is not None:
            search_params["q"] = str(node)
            boost = whole_word_boost(lucene.all_rank_words(node))
            if boost:
                search_params.setdefault("bf", boost)
    return search_params


def whole_word_boost(words: Iterable[str]) -> str:
    """Solr's ``bf`` (dismax's additive boost functions) for rank-only Khmer
    words (:func:`khmer.rank_tokens`): what the PostgreSQL backend ranks by."""
    return " ".join(f"termfreq({name},'{word}')^{boost}"
                    for word in dict.fromkeys(words) if "'" not in word
                    for name, boost in WHOLE_WORD_BOOSTS)


def segment_string(q: str) -> str:
    """``q`` with each Khmer term as its tokens, as a string (for Solr); an
    unparseable ``q`` is left for the engine to report."""
    node = _segmented(q)
    return q if node is None else str(node)


def _segmented(q: str) -> tree.Item | None:
    try:
        parsed = lucene.parse(khmer.normalize(q))
    except lucene.QuerySyntaxError:
        return None
    return segment_tree(parsed)


def segment_tree(node: tree.Item) -> tree.Item:
    """Each Khmer term of a parsed (and ``khmer.normalize``-d) query becomes
    the phrase of its tokens, fielded title/notes terms go to the token
    fields.  Rewrites ``node`` in place and returns the new root."""
    return _rewrite(node, None)


def _engine_segments_khmer() -> bool:
    from ckanext.learning.search.backend import get_backend  # it imports this module

    return get_backend(config.search_backend()).segments_khmer


def _phrase_of(text: str) -> tree.Item:
    words: list[str] = []
    ranked: list[str] = []
    for word in text.split():
        if khmer.has_khmer(word):
            words.extend(khmer.query_tokens(word))
            ranked.extend(khmer.rank_tokens(word))
        else:
            words.append(word)
    node = (tree.Word(words[0]) if len(words) == 1
            else tree.Phrase('"' + " ".join(words) + '"'))
    if ranked:
        setattr(node, lucene.RANK_WORDS, tuple(ranked))
    return node


def _rewrite(node: tree.Item, fname: str | None) -> tree.Item:
    if isinstance(node, tree.SearchField):
        target = node.name
        if target in _FIELD_TOKENS and khmer.has_khmer(str(node.expr)):
            new = tree.SearchField(_FIELD_TOKENS[target], _rewrite(node.expr, target),
                                   head=node.head, tail=node.tail)
            return new
        node.expr = _rewrite(node.expr, target)
        return node
    if isinstance(node, (tree.Word, tree.Phrase)):
        if fname not in (None, "text", *_FIELD_TOKENS) or not khmer.has_khmer(node.value):
            return node
        if isinstance(node, tree.Word) and ("*" in node.value or "?" in node.value):
            return node
        text = node.value[1:-1] if isinstance(node, tree.Phrase) else node.value
        new = _phrase_of(text)
        new.head, new.tail = node.head, node.tail
        return new
    node.children = [_rewrite(c, fname) for c in node.children]
    return node
