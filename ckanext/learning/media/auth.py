"""A citation may be read by whoever may read the record."""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["learning_citation_show"]


@tk.auth_allow_anonymous_access
def learning_citation_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, {"id": data_dict.get("id")})
