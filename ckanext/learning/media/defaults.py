"""Default views for files stored before their view plugins were on, run by
``ckan learning init``: core creates default views only when a file is
created or changed, so the demo PDFs and videos of an existing portal
would otherwise keep "There are no views created for this resource yet"."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib import datapreview

from ckanext.learning.themes.catalogue import Report, site_context

#: Formats a default view may show; other files are not looked at again.
CANDIDATE_FORMATS = ("pdf", "mp4", "webm", "ogg", "mp3", "wav", "youtube", "vimeo")


def add_missing_views() -> Report:
    """Give each active file with no view yet the default views that can
    show it (``ckan.views.default_views``); files that have a view are kept."""
    report = Report()
    if not datapreview.get_default_view_plugins():
        return report
    has_view = sa.select(model.ResourceView.resource_id).where(
        model.ResourceView.resource_id == model.Resource.id).exists()
    rows = (model.Session.query(model.Resource.id, model.Resource.package_id)
            .join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active", model.Package.state == "active",
                    sa.func.lower(model.Resource.format).in_(CANDIDATE_FORMATS),
                    ~has_view)
            .order_by(model.Resource.package_id).all())
    shown: dict[str, dict] = {}
    for resource_id, package_id in rows:
        if package_id not in shown:
            shown[package_id] = tk.get_action("package_show")(
                site_context(), {"id": package_id})
        resource = next((r for r in shown[package_id]["resources"]
                         if r["id"] == resource_id), None)
        if resource is None:
            continue
        created = datapreview.add_views_to_resource(
            site_context(), resource, shown[package_id])
        report.created += len(created)
        report.kept += 0 if created else 1
    return report
