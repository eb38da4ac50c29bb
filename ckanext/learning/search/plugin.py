"""``learning_search``: CKAN's search without Solr, and Khmer words in both engines.

Usable alone on any CKAN 2.12 portal (``ckan.plugins = learning_search``):
the index lives in the portal's PostgreSQL database, behind core's own
``package_search``.  With ``ckanext.learning.search.backend = solr`` it only
adds the segmented Khmer fields and query rewrite; that Solr needs the schema
``docker/solr`` ships (CKAN's, plus the fields the extension sends: stock
CKAN's schema would refuse its multi-valued fields).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.learning import cli, config
from ckanext.learning.search import forking, hooks, limits, seams
from ckanext.learning.search.backend import get_backend


@tk.blanket.config_declarations
@tk.blanket.cli(lambda: [cli.learning])
class LearningSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        seams.install(get_backend(config.search_backend()))
        forking.install()

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return hooks.prepare_for_index(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        limits.check(search_params)
        return hooks.segment_query(search_params)
