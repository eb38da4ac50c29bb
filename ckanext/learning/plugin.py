"""``learning``: the Learning Platform on top of ``learning_search`` and
``learning_fluent``: the learning-resource schema, the nine themes, the
contribution rules and the library's pages.  Thin wiring; the work lives in
the capability folders (``library/``, ``themes/``, ``workflow/``, ``mail/``...)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.learning import cli, security
from ckanext.learning.dcat import views as dcat_views
from ckanext.learning.documents import helpers as document_helpers
from ckanext.learning.documents import index as document_index
from ckanext.learning.documents import jobs as document_jobs
from ckanext.learning.documents import views as document_views
from ckanext.learning.downloads import action as downloads_action
from ckanext.learning.downloads import auth as downloads_auth
from ckanext.learning.downloads import counting as downloads_counting
from ckanext.learning.downloads import views as downloads_views
from ckanext.learning.exports import views as exports_views
from ckanext.learning.harvest import views as harvest_views
from ckanext.learning.i18n import Translation, build_js_catalogues
from ckanext.learning.library import delivery, display, facets, keyword_tags
from ckanext.learning.library import helpers as library_helpers
from ckanext.learning.library import validators as library_validators
from ckanext.learning.library import views as library_views
from ckanext.learning.mail import action as mail_action
from ckanext.learning.mail import auth as mail_auth
from ckanext.learning.media import action as media_action
from ckanext.learning.media import auth as media_auth
from ckanext.learning.media import helpers as media_helpers
from ckanext.learning.media import views as media_views
from ckanext.learning.security import inputs as security_inputs
from ckanext.learning.security import login as security_login
from ckanext.learning.security import sessions as security_sessions
from ckanext.learning.security import storage as security_storage
from ckanext.learning.security import web as security_web
from ckanext.learning.suggest import action as suggest_action
from ckanext.learning.suggest import auth as suggest_auth
from ckanext.learning.themes import helpers as theme_helpers
from ckanext.learning.themes import memberships
from ckanext.learning.workflow import (
    action,
    auth,
    guards,
    membership,
    review,
    states,
    upload_hooks,
)
from ckanext.learning.workflow import helpers as workflow_helpers
from ckanext.learning.workflow import views as workflow_views

#: Plugins this one builds on, with what each brings.
REQUIRED_PLUGINS = {
    "learning_search": "the search index and the Khmer search",
    "learning_fluent": "the multilingual fields of the schema",
    "scheming_datasets": "the learning-resource schema",
}


def _public(*modules: Any) -> dict[str, Any]:
    return {name: getattr(m, name) for m in modules for name in m.__all__}


def missing_plugins() -> list[str]:
    return [name for name in REQUIRED_PLUGINS if not p.plugin_loaded(name)]


@tk.blanket.actions(lambda: security_inputs.with_checked_limits(
    {**_public(action, membership, mail_action, downloads_action, media_action,
               suggest_action),
     **guards.ACTIONS,
     **security_login.ACTIONS}))
@tk.blanket.auth_functions(lambda: {**_public(auth, mail_auth, downloads_auth, media_auth,
                                             suggest_auth),
                                    **guards.AUTH})
@tk.blanket.blueprints(lambda: [delivery.blueprint,  # first: its after_request runs last
                                *workflow_views.get_blueprints(),
                                *library_views.get_blueprints(),
                                upload_hooks.blueprint,
                                dcat_views.blueprint,
                                document_views.blueprint,
                                downloads_views.blueprint,
                                exports_views.blueprint,
                                harvest_views.blueprint,
                                media_views.blueprint,
                                security_web.blueprint])
@tk.blanket.cli(lambda: [cli.learning])
@tk.blanket.config_declarations
@tk.blanket.validators(lambda: _public(library_validators))
@tk.blanket.helpers(lambda: _public(library_helpers, theme_helpers, workflow_helpers,
                                     document_helpers, media_helpers))
class LearningPlugin(p.SingletonPlugin, Translation, DefaultPermissionLabels):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IGroupController, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IUploader, inherit=True)

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "ckanext-learning")
        # core's resource upload field without inline scripts (the CSP runs none)
        tk.add_template_directory(config_, "security/templates")
        tk.add_resource("security/assets", "ckanext-learning-security")
        # the cite box's styles (the view plugins register the same library)
        tk.add_resource("media/assets", "ckanext-learning-media")

    # IConfigurable: say at start-up, not at the first request, what is missing
    def configure(self, config_: Any) -> None:
        missing = missing_plugins()
        if missing:
            needs = "; ".join(f"{name} ({REQUIRED_PLUGINS[name]})" for name in missing)
            raise RuntimeError(
                f"The 'learning' plugin needs these plugins too: {needs}. Add them "
                "to ckan.plugins, e.g. 'ckan.plugins = learning learning_search "
                "learning_fluent scheming_datasets scheming_groups'.")
        build_js_catalogues()

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
        chosen = memberships.from_dataset(pkg_dict)
        if chosen is not None:
            memberships.sync_theme_groups(pkg_dict["id"], chosen)
        keywords = keyword_tags.from_dataset(pkg_dict)
        if keywords is not None:
            keyword_tags.sync_tags(pkg_dict["id"], keyword_tags.public_keywords(
                pkg_dict, keywords))
        review.on_saved(context, pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self.after_dataset_create(context, pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        downloads_counting.add_counts_to_results(search_results.get("results") or [])
        return facets.relabel(search_results)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        downloads_counting.add_counts(pkg_dict)

    def before_dataset_view(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return display.localise_dataset(pkg_dict)

    # runs before learning_search's, which then segments the Khmer it adds
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return document_index.add_document_text(pkg_dict)

    # IResourceController: uploads are checked by content before anything is stored
    def before_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        upload_hooks.validate_resource_upload(resource)

    def before_resource_update(self, context: Any, current: dict[str, Any],
                               resource: dict[str, Any]) -> None:
        upload_hooks.validate_resource_upload(resource)

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        return upload_hooks.sanitise_shown_resource(resource_dict)

    # ... and read in a background job once stored (documents/jobs.py)
    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        document_jobs.enqueue_for(resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        document_jobs.enqueue_for(resource)

    # IUploader: files stored only where there is room, no partial file left
    def get_resource_uploader(self, data_dict: dict[str, Any]) -> Any:
        return security_storage.resource_uploader(data_dict)

    def get_uploader(self, upload_to: str, old_filename: str | None) -> Any:
        return None  # core's, for pictures

    # IPermissionLabels: unpublished is private; reviewers read what waits
    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return super().get_dataset_labels(dataset_obj) + states.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return super().get_user_dataset_labels(user_obj) + states.user_labels(user_obj)

    # IGroupController, IOrganizationController
    def before_view(self, data_dict: dict[str, Any]) -> dict[str, Any]:
        return display.localise_group(data_dict)

    # IAuthenticator: login throttling; sessions that end on logout
    def login(self) -> Any:
        return security_login.refusal()

    def identify_user(self, user_id: str | None = None) -> Any:
        return security_sessions.identify(user_id)

    # ISignal
    def get_signal_subscriptions(self) -> Any:
        return security.signals()
