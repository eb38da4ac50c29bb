"""Download counts are public, as the records they count."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["learning_most_downloaded"]


@tk.auth_allow_anonymous_access
def learning_most_downloaded(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
