"""Khmer tokens for full-text search (Solr text fields / PostgreSQL tsvector).

Khmer is written without spaces between words, so the search engines cannot
find a word inside a sentence by themselves.  We give them space-separated
tokens instead.  The approach was chosen by measurement
(``bench/khmer/RESULTS.md``, ``bench/khmer/eval_segmenters.py``):

* **Long query terms** (3 or more Khmer character clusters, e.g. វីដេអូ,
  អាកាសធាតុ) are matched as *cluster-aligned substrings*: the index holds the
  overlapping cluster trigrams of every Khmer run, and the query asks for
  all of its own trigrams (Solr: as a phrase).  This finds a word glued inside a compound
  (វីដេអូ in ការកាត់តវីដេអូ) whatever a segmenter would have done with it.
* **Short query terms** (1-2 clusters: សារ, ការ, ទឹក, ដី ...) hide inside
  unrelated longer words (ឯកសារ, តុលាការ, ទឹកចិត្ត, ដីកា), so they must match
  whole words: the index also holds sub-words, and the query is the
  segmentation of the term.  Words come from khmercut's CRF segmenter (fast,
  keeps compounds whole); each distinct word is then split into its
  sub-words once by khmercut's neural segmenter (``khmercut.nn``,
  ``deep=True``: ការ|អប់រំ, ព្រៃ|ឈើ, but ការពារ and ឯកសារ stay whole) and
  remembered, so the slow model runs once per word, not once per text.
  Function words whose parts mean nothing alone (ស្តីពី, អំពី "about")
  stay whole: split, their ពី ("from") matched every title "On ...".
  (Same retrieval as the neural model on whole texts, at about a tenth of the
  cost: ``bench/khmer/RESULTS.md``.)

A trigram token is exactly three clusters long, so it can never be confused
with a short query's word token, and the two kinds of token can share one
field.  Text is normalised first (NFC, coeng DA -> coeng TA, U+200B-U+200D
removed), the same way for documents and queries.

``index_tokens`` returns, in this order: the words of the text in document
order (Khmer sub-words interleaved with the Latin/digit words left as they
are), then the cluster trigrams of each Khmer run in document order.  Join
them with spaces; phrase queries need the order.
"""
from __future__ import annotations

import functools
import re
import threading

from .script import KHMER_RUN, clusters, has_khmer, normalize

#: what the index depends on (kept in sync with requirements).
PACKAGE = "khmercut[nn]"
REQUIREMENT = "khmercut[nn]==0.2.0"
LICENCE = ("Apache-2.0 (khmercut and its bundled models); python-crfsuite MIT; "
           "onnxruntime MIT; numpy BSD-3-Clause")

#: query terms of at least this many clusters are matched as cluster trigrams.
MIN_CLUSTERS_FOR_SUBSTRING = 3
_N = 3

#: characters a token needs to be worth indexing (punctuation alone is not).
_WORDISH = re.compile(r"[\u1780-\u17b3\u17e0-\u17e9\u17f0-\u17f9\u19e0-\u19ff\w]")

_NON_KHMER = re.compile(r"[^\s\u1780-\u17ff\u19e0-\u19ff]")

#: distinct words whose sub-words are remembered (a few MB).
SUB_WORD_CACHE_SIZE = 100_000
#: Segmented Khmer runs kept (titles, themes and boilerplate repeat across a
#: catalogue; a rebuild segments each distinct run once).
RUN_CACHE_SIZE = 20_000
#: Words never split into sub-words (see the module docstring).
WHOLE_WORDS = frozenset({"ស្តីពី", "អំពី"})
MAX_CACHED_RUN = 400  # characters; longer runs are rarely repeated

_lock = threading.Lock()
_crf_lock = threading.Lock()
_model = None


def _ngrams(kccs: list[str]) -> list[str]:
    return ["".join(kccs[i:i + _N]) for i in range(len(kccs) - _N + 1)]


def _segmenter():
    """khmercut's neural segmenter, loaded once (thread-safe, lazy)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                try:
                    from khmercut import nn
                except ImportError as exc:  # pragma: no cover - install problem
                    raise RuntimeError(
                        f"Khmer search needs {REQUIREMENT} (pip install '{REQUIREMENT}')"
                    ) from exc
                nn.load()
                _model = nn
    return _model


def _crf_words(khmer_run: str) -> list[str]:
    """Words of a Khmer run by khmercut's CRF model (its tagger is not
    thread-safe, hence the lock)."""
    import khmercut

    with _crf_lock:
        return khmercut.tokenize(khmer_run)


@functools.lru_cache(maxsize=SUB_WORD_CACHE_SIZE)
def _sub_words(word: str) -> tuple[str, ...]:
    """The neural segmenter's sub-words of one word, computed once."""
    out: list[str] = []
    for pieces in _segmenter().tokenize(word, deep=True):
        out.extend(p.strip() for p in pieces if p.strip())
    return tuple(out)


def _words(khmer_run: str) -> tuple[str, ...]:
    """Sub-words of a (normalised) Khmer run, punctuation/spaces dropped."""
    if len(khmer_run) > MAX_CACHED_RUN:
        return _segment_run(khmer_run)
    return _cached_run(khmer_run)


def _segment_run(khmer_run: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _crf_words(khmer_run):
        word = word.strip()
        if not word or not _WORDISH.search(word):
            continue
        pieces = (_sub_words(word) if len(clusters(word)) > 1
                  and word not in WHOLE_WORDS else (word,))
        out.extend(p for p in pieces if _WORDISH.search(p))
    return tuple(out)


_cached_run = functools.lru_cache(maxsize=RUN_CACHE_SIZE)(_segment_run)


def _split(text: str) -> tuple[list[str], list[str]]:
    """(words in document order, cluster trigrams) of normalised ``text``."""
    words: list[str] = []
    grams: list[str] = []
    pos = 0
    for m in KHMER_RUN.finditer(text):
        words.extend(text[pos:m.start()].split())
        run = m.group(0)
        if _WORDISH.search(run):
            words.extend(_words(run))
        grams.extend(_ngrams(clusters(run)))
        pos = m.end()
    words.extend(text[pos:].split())
    return words, grams


def index_tokens(text: str) -> list[str]:
    """Tokens to index for ``text`` (Khmer and/or Latin), see module doc."""
    if not text:
        return []
    words, grams = _split(normalize(text))
    return words + grams


def query_tokens(word: str) -> list[str]:
    """Tokens that must appear consecutively (a phrase) for a query term."""
    word = normalize(word).strip()
    if not has_khmer(word):
        return word.split()
    kccs = clusters(word)
    if len(kccs) >= MIN_CLUSTERS_FOR_SUBSTRING and not _NON_KHMER.search(word):
        return _ngrams(kccs)
    # a short term (or one mixed with Latin/digits): whole words
    return _split(word)[0]
