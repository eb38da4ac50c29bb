"""Who may ask for suggestions: anyone (what they see is filtered)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["learning_suggest"]


@tk.auth_allow_anonymous_access
def learning_suggest(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}
