"""``ckan learning …``: set-up and maintenance commands."""
from __future__ import annotations

import os
import time

import click

__all__ = ["learning"]


@click.group(short_help="Learning Platform commands.")
def learning() -> None:
    """Learning Platform: set-up and maintenance."""


@learning.command()
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Also create the demo admin, organisations and datasets.")
@click.option("--admin-password", envvar="LEARNING_ADMIN_PASSWORD",
              default="learning-admin", show_default=True,
              help="Password of the demo sysadmin (only set when it is created).")
def init(demo: bool, admin_password: str) -> None:
    """Create the theme groups and (by default) the demo content.

    Idempotent: what exists is kept as it is, so a second run is fast and
    never overwrites edits made through the portal.
    """
    from ckanext.learning import bootstrap as setup

    report = setup.create_themes()
    click.echo(f"Theme groups: {report.created} created, {report.kept} kept.")
    if demo:
        admin = setup.create_demo_admin(admin_password)
        click.echo(f"Demo sysadmin: {admin.name} "
                   f"({'created' if admin.created else 'kept'}; "
                   f"password {admin_password!r} if created here).")
        report = setup.create_demo_content()
        click.echo(f"Demo datasets: {report.created} created, {report.kept} kept.")
        report = setup.create_demo_submissions()
        click.echo(f"Demo submissions by contributor 'sokha' (password "
                   f"{setup.DEMO_CONTRIBUTOR_PASSWORD!r}): {report.created} created, "
                   f"{report.kept} kept.")


@learning.command("sync-themes")
def sync_themes() -> None:
    """Set every learning resource's theme-group memberships from its
    ``themes`` field (after importing data or editing groups by hand)."""
    import ckan.logic as logic
    import ckan.model as model

    from ckanext.learning import themes

    extras = [(pkg_id, extras["themes"]) for pkg_id, extras in
              model.Session.query(model.Package.id, model.Package.extras)
              .filter(model.Package.extras.has_key("themes"))]
    with click.progressbar(extras, label=f"Syncing {len(extras)} datasets") as bar:
        for package_id, value in bar:
            themes.sync_theme_groups(package_id, themes.as_list(value))
            logic.index_update_package({"ignore_auth": True}, package_id, True)
    model.Session.commit()
    click.echo(f"Synced {len(extras)} datasets.")


@learning.command("reindex")
@click.option("--jobs", type=int, default=os.cpu_count() or 1, show_default=True,
              help="Worker processes (one per core).")
@click.option("--search", "query", metavar="Q",
              help="Only the datasets this query matches (e.g. after a change "
                   "to how some words are tokenised).")
def reindex_command(jobs: int, query: str | None) -> None:
    """Re-index datasets as `ckan search-index rebuild` does, on every core."""
    from ckanext.learning.search import reindex

    ids = reindex.matching_ids(query) if query else reindex.all_ids()
    start = time.monotonic()
    with click.progressbar(length=len(ids), label=f"Indexing {len(ids)} datasets") as bar:
        failed = reindex.reindex(ids, jobs, bar.update)
    seconds = max(time.monotonic() - start, 1e-9)
    click.echo(f"Indexed {len(ids) - failed} datasets in {seconds:.1f}s "
               f"({(len(ids) - failed) / seconds:.1f}/s, {jobs} jobs).")
    if failed:
        raise click.ClickException(f"{failed} datasets could not be indexed; see the log")
