"""Tag validation that accepts Khmer.

CKAN's ``tag_name_validator`` only knows ``\\w``, which rejects Khmer vowel
signs and coeng (they are combining marks, not word characters), so a Khmer
keyword such as ព្រៃឈើ cannot be saved.  These validators accept what core
accepts plus combining marks, normalise Khmer the same way the search index
does (NFC, coeng DA -> coeng TA) so one tag is not stored in two invisible
spellings, and reject what would make a tag invisible, ambiguous or unsafe: zero-width and
control characters, and markup.
"""
from __future__ import annotations

import unicodedata
from itertools import count
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import MAX_TAG_LENGTH, MIN_TAG_LENGTH

from ckanext.learning.khmer import normalize

__all__ = [
    "learning_tag_validator",
    "learning_tag_name_validator",
    "learning_tag_string_convert",
]

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_MARKUP = frozenset("<>&\"'")
_PUNCTUATION = frozenset(" -_.")


def _allowed(char: str) -> bool:
    """What core accepts (letters and digits of any script, `` -_.``) plus
    the combining marks core refuses: Khmer vowel signs and coeng."""
    return char in _PUNCTUATION or unicodedata.category(char)[0] in "LNM"


def _visible(tag: str) -> str:
    """The tag as it can be shown in a message: invisible characters spelled."""
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c).startswith("C") else c
        for c in tag)


def _check_characters(tag: str) -> None:
    for char in tag:
        if char in _ZERO_WIDTH:
            raise tk.Invalid(tk._(
                'Tag "{tag}" contains an invisible zero-width character '
                '(U+{code:04X}); delete it and type the tag again'
            ).format(tag=_visible(tag), code=ord(char)))
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            raise tk.Invalid(tk._(
                'Tag "{tag}" contains a control character (U+{code:04X})'
            ).format(tag=_visible(tag), code=ord(char)))
        if char in _MARKUP:
            raise tk.Invalid(tk._(
                'Tag "{tag}" must not contain <, >, & or quotes'
            ).format(tag=tag))
        if not _allowed(char):
            raise tk.Invalid(tk._(
                'Tag "{tag}" contains "{char}": tags may only contain letters, '
                'digits, spaces, hyphens (-), underscores (_) and dots (.)'
            ).format(tag=tag, char=char))


def learning_tag_name_validator(value: Any, context: Any) -> str:
    """Drop-in for core ``tag_name_validator`` that accepts Khmer: checks the
    characters and returns the normalised tag (length is left to core's
    ``tag_length_validator``, as for the validator it replaces)."""
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Tags must be text"))
    tag = value.strip()
    _check_characters(tag)
    return normalize(tag)


def learning_tag_validator(value: Any, context: Any) -> str:
    """Complete check of one tag: characters, normalisation, then length
    (counted after normalisation, in characters as core counts them)."""
    tag = learning_tag_name_validator(value, context)
    if len(tag) < MIN_TAG_LENGTH:
        raise tk.Invalid(tk._(
            'Tag "{tag}" is too short: tags need at least {min} characters'
        ).format(tag=tag, min=MIN_TAG_LENGTH))
    if len(tag) > MAX_TAG_LENGTH:
        raise tk.Invalid(tk._(
            'Tag "{tag}" is too long: tags may have at most {max} characters'
        ).format(tag=tag[:20] + "…", max=MAX_TAG_LENGTH))
    return tag


def learning_tag_string_convert(key: tuple, data: dict, errors: dict,
                                context: Any) -> None:
    """Drop-in for core ``tag_string_convert`` (the dataset form's comma-
    separated tags), which calls core's ``tag_name_validator`` directly and
    so cannot be fixed by overriding that validator's name: the tags are
    checked and stored normalised, every bad tag reported."""
    value = data[key]
    raw = value.split(",") if isinstance(value, str) else list(value or [])
    tags: list[str] = []
    for tag in raw:
        if isinstance(tag, str) and not tag.strip():
            continue
        try:
            tag = learning_tag_validator(tag, context)
        except tk.Invalid as e:
            errors[key].append(e.error)
            continue
        if tag not in tags:
            tags.append(tag)
    first = 1 + max((int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"),
                    default=-1)
    for num, tag in zip(count(first), tags):
        data[("tags", num, "name")] = tag


#: Core validators these replace by name, so core's own schemas (the
#: ``dataset`` type's ``tags`` and ``tag_string``, tag_create) accept Khmer.
CORE_REPLACEMENTS = {
    "tag_name_validator": learning_tag_name_validator,
    "tag_string_convert": learning_tag_string_convert,
}
