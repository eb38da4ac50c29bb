"""Template helpers of the themes (registered by toolkit.blanket)."""
from __future__ import annotations

from typing import Any

from ckanext.learning.themes.catalogue import themes

__all__ = ["learning_theme_choices"]


def learning_theme_choices(field: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The nine themes as scheming choices with Khmer and English labels."""
    return [{"value": t["name"], "label": {"en": t["title"], "km": t["title_km"]}}
            for t in themes()]
