"""The terms of contribution a contributor accepts on each submission."""
from __future__ import annotations

import functools
import json
import os
from typing import Any

from ckanext.learning import config


def _resolve(path: str) -> str:
    """``package:relative/path`` (like scheming's schema references) or a
    plain file path."""
    if ":" in path and not os.path.isabs(path):
        package, relative = path.split(":", 1)
        module = __import__(package, fromlist=["__file__"])
        return os.path.join(os.path.dirname(module.__file__), relative)
    return path


@functools.lru_cache(maxsize=8)
def _load(path: str) -> dict[str, Any]:
    with open(_resolve(path), encoding="utf-8") as f:
        terms = json.load(f)
    if not isinstance(terms.get("text"), dict) or not terms["text"]:
        raise ValueError(f"{path}: the terms need a 'text' object per language")
    terms.setdefault("version", "1")
    return terms


def current() -> dict[str, Any]:
    """``{"version": ..., "text": {lang: text}}`` as configured."""
    return _load(config.review_terms_file())


def text_in(lang: str) -> str:
    """The terms in ``lang``, else in English, else in any language given."""
    text = current()["text"]
    return text.get(lang) or text.get("en") or next(iter(text.values()))


def acceptance() -> dict[str, Any]:
    """What is stored with a submission: the version and every language's
    text, so a reviewer sees exactly what was accepted even after the
    terms change."""
    terms = current()
    return {"version": str(terms["version"]),
            "accepted_text": json.dumps(terms["text"], ensure_ascii=False)}
