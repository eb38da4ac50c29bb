"""Khmer script at the character level: detection, clusters, normalisation.

Shared by search (index and query text) and by the multilingual fields (tag
validation), so that a word typed one way is the same word everywhere.
"""
from __future__ import annotations

import re
import unicodedata

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


def normalize(text: str) -> str:
    """NFC, coeng DA -> coeng TA, zero-width space/(non-)joiners removed."""
    text = unicodedata.normalize("NFC", text)
    return text.replace(_COENG_DA, _COENG_TA).translate(_ZERO_WIDTH)


def has_khmer(text: str) -> bool:
    return bool(_KHMER.search(text or ""))


def clusters(text: str) -> list[str]:
    """Khmer character clusters of ``text`` (non-Khmer characters skipped)."""
    return _KCC.findall(text)
