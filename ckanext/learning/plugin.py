"""The Learning Platform plugin: thin wiring, the work lives in subpackages."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels, DefaultTranslation

from ckanext.learning import config, display, facets, forking, themes, views
from ckanext.learning import helpers as learning_helpers
from ckanext.learning.fluent import helpers as fluent_helpers
from ckanext.learning.fluent import tags
from ckanext.learning.fluent import validators as fluent_validators
from ckanext.learning.logic import action, auth
from ckanext.learning.logic import validators as learning_validators
from ckanext.learning.search import hooks, seams
from ckanext.learning.search.backend import get_backend
from ckanext.learning.workflow import guards, review, states, upload_hooks


def _public(*modules: Any) -> dict[str, Any]:
    return {name: getattr(m, name) for m in modules for name in m.__all__}


@tk.blanket.actions(lambda: {**_public(action), **guards.ACTIONS})
@tk.blanket.auth_functions(lambda: {**_public(auth), **guards.AUTH})
@tk.blanket.blueprints(lambda: [*views.get_blueprints(), upload_hooks.blueprint])
@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.validators(lambda: {**_public(learning_validators, fluent_validators),
                                **tags.CORE_REPLACEMENTS})
@tk.blanket.helpers(lambda: _public(learning_helpers, fluent_helpers))
class LearningPlugin(p.SingletonPlugin, DefaultTranslation, DefaultPermissionLabels):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IGroupController, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "ckanext-learning")
        seams.install(get_backend(config.search_backend()))
        forking.install()

    # IFacets
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return facets.facet_titles()

    def group_facets(self, facets_dict: Any, group_type: str,
                     package_type: str | None) -> Any:
        return facets.facet_titles()

    def organization_facets(self, facets_dict: Any, organization_type: str,
                            package_type: str | None) -> Any:
        return facets.facet_titles()

    # IPackageController
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        chosen = themes.from_dataset(pkg_dict)
        if chosen is not None:
            themes.sync_theme_groups(pkg_dict["id"], chosen)
        review.on_saved(context, pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self.after_dataset_create(context, pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return hooks.prepare_for_index(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return hooks.segment_query(search_params)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return facets.relabel(search_results)

    def before_dataset_view(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return display.localise_dataset(pkg_dict)

    # IResourceController: uploads are checked by content before anything is stored
    def before_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        upload_hooks.validate_resource_upload(resource)

    def before_resource_update(self, context: Any, current: dict[str, Any],
                               resource: dict[str, Any]) -> None:
        upload_hooks.validate_resource_upload(resource)

    # IPermissionLabels: unpublished is private; reviewers read what waits
    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return super().get_dataset_labels(dataset_obj) + states.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return super().get_user_dataset_labels(user_obj) + states.user_labels(user_obj)

    # IGroupController, IOrganizationController
    def before_view(self, data_dict: dict[str, Any]) -> dict[str, Any]:
        return display.localise_group(data_dict)
