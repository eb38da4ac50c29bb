"""The Learning Platform plugin: thin wiring, the work lives in subpackages."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.learning import config
from ckanext.learning.search import hooks, seams
from ckanext.learning.search.backend import get_backend


@tk.blanket.cli
@tk.blanket.config_declarations
class LearningPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
        seams.install(get_backend(config.search_backend()))

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return hooks.add_segmented_text(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return hooks.segment_query(search_params)
