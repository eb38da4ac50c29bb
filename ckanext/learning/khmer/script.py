"""Khmer script at the character level: detection, clusters, normalisation.

Shared by search (index and query text) and by the multilingual fields (tag
validation), so that a word typed one way is the same word everywhere.

Khmer keyboards and legacy converters produce the same visible word in
several code-point orders (a vowel typed before the subscript, coeng RO
before another subscript, េ+ា for ោ, a sign before its vowel, a mark typed
twice).  :func:`normalize` puts every syllable in the one order of SIL's
Khmer character specification (``khmerspell.khnormal``, measured in
``bench/khmer/spelling_variants.py``), one distinct syllable at a time and
remembered: a catalogue has a few thousand distinct syllables, and khnormal
costs ~40 µs a character.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from khmerspell import khnormal

_COENG_DA = "\u17d2\u178a"
_COENG_TA = "\u17d2\u178f"
_ZERO_WIDTH = {0x200B: None, 0x200C: None, 0x200D: None}

_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
#: A Khmer run: Khmer characters, possibly with spaces between them.
KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+(?:\s+[\u1780-\u17ff\u19e0-\u19ff]+)*")
#: Khmer character cluster: base letter + (coeng letter | vowel | sign)*;
#: runs of Khmer digits and of lunar-date symbols stay together.
_KCC = re.compile(
    r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*"
    r"|[\u17e0-\u17e9]+|[\u17f0-\u17f9]+|[\u19e0-\u19ff]+")


#: A written syllable: a base (consonant or independent vowel) with its
#: subscripts and marks, which is the unit khnormal reorders.
_SYLLABLE = re.compile("[\u1780-\u17a2\u17a5-\u17b3]"
                       "(?:\u17d2[\u1780-\u17a2\u17a5-\u17b3]|[\u17b6-\u17d1\u17d3\u17dd])+")
#: The same mark twice in a row, never meant (khnormal keeps them).
_DOUBLED_MARK = re.compile("([\u17b6-\u17d1\u17d3\u17dd])\\1+")
SYLLABLE_CACHE_SIZE = 50_000


@functools.lru_cache(maxsize=SYLLABLE_CACHE_SIZE)
def _ordered(syllable: str) -> str:
    return _DOUBLED_MARK.sub("\\1", khnormal(syllable))


def normalize(text: str) -> str:
    """NFC, zero-width space/(non-)joiners removed, each syllable in SIL's
    normal order (coeng DA -> coeng TA among its rules)."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    if not _KHMER.search(text):
        return text
    return _SYLLABLE.sub(lambda m: _ordered(m.group(0)), text).replace(_COENG_DA, _COENG_TA)


def has_khmer(text: str) -> bool:
    return bool(_KHMER.search(text or ""))


def clusters(text: str) -> list[str]:
    """Khmer character clusters of ``text`` (non-Khmer characters skipped)."""
    return _KCC.findall(text)


def cluster_starts(text: str) -> list[int]:
    """Offsets in ``text`` where its Khmer character clusters begin."""
    return [m.start() for m in _KCC.finditer(text)]
