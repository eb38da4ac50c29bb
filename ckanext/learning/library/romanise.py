"""Khmer in Latin letters, for the URL name of a resource titled in Khmer
only (``សហគមន៍នេសាទ`` -> ``sahakamanesat``).

A reading aid, not a scholarly romanisation: the letters follow the UNGEGN
system simplified (one spelling per consonant, the inherent vowel written
"a" between consonants), character cluster by character cluster.
"""
from __future__ import annotations

import re

from ckanext.learning.khmer import clusters, normalize

CONSONANTS = dict(zip(
    "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវឝឞសហឡអ",
    ["k", "kh", "k", "kh", "ng", "ch", "chh", "ch", "chh", "nh", "d", "th", "d", "th",
     "n", "t", "th", "t", "th", "n", "b", "ph", "p", "ph", "m", "y", "r", "l", "v",
     "s", "s", "s", "h", "l", ""], strict=True))
INDEPENDENT_VOWELS = dict(zip(
    "ឣឤឥឦឧឨឩឪឫឬឭឮឯឰឱឲឳ",
    ["a", "a", "e", "ei", "o", "o", "o", "ov", "rue", "rue", "lue", "lue", "ae",
     "ai", "ao", "ao", "au"], strict=True))
#: Dependent vowels and the signs that sound; longest first.
VOWELS = [("ុំ", "om"), ("ាំ", "am"), ("ា", "a"), ("ិ", "e"), ("ី", "ei"),
          ("ឹ", "oe"), ("ឺ", "eu"), ("ុ", "o"), ("ូ", "ou"), ("ួ", "uo"),
          ("ើ", "aeu"), ("ឿ", "oea"), ("ៀ", "ie"), ("េ", "e"), ("ែ", "ae"),
          ("ៃ", "ai"), ("ោ", "ao"), ("ៅ", "au"), ("ំ", "am"), ("ះ", "ah"), ("ៈ", "a")]
#: Signs after which a consonant ends its syllable (no inherent vowel).
SILENT = "់៍៌៎៏័៑"
DIGITS = {chr(0x17E0 + n): str(n) for n in range(10)}


def _cluster(cluster: str, open_before: bool, last: bool) -> tuple[str, bool]:
    """The cluster in Latin letters, and whether it leaves its syllable open
    (a vowel-less consonant after an open syllable closes it)."""
    if cluster[0] in DIGITS:
        return "".join(DIGITS.get(c, "") for c in cluster), False
    if cluster[0] in INDEPENDENT_VOWELS:
        return INDEPENDENT_VOWELS[cluster[0]], True
    letters = CONSONANTS.get(cluster[0], "")
    rest = cluster[1:]
    for sub in re.findall("\u17d2(.)", rest):  # subscript consonants
        letters += CONSONANTS.get(sub, "")
    rest = re.sub("\u17d2.", "", rest)
    for sign, sound in VOWELS:
        if sign in rest:
            return letters + sound, True
    if open_before or last or any(s in rest for s in SILENT):
        return letters, False
    return letters + "a", True


def romanise(text: str) -> str:
    """Khmer words in Latin letters, other text kept, words apart."""
    words = []
    for word in re.split(r"[\s\u17d4-\u17da\u200b]+", normalize(text)):
        parts = clusters(word)
        if not parts:
            words.append(word)
            continue
        latin, open_syllable = [], False
        for index, cluster in enumerate(parts):
            letters, open_syllable = _cluster(cluster, open_syllable,
                                              index == len(parts) - 1)
            latin.append(letters)
        words.append("".join(latin))
    return " ".join(w for w in words if w)
