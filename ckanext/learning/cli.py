"""``ckan learning …``: set-up and maintenance commands."""
from __future__ import annotations

import os
import time

import click

__all__ = ["learning"]

#: Seconds ``learning worker`` waits for Redis to come back.
REDIS_WAIT = 5

#: Which plugin each command belongs to: ``learning_search`` alone (on a
#: portal without the library) offers only the search commands.
SEARCH_COMMANDS = frozenset({"reindex", "check"})


class _PluginCommands(click.Group):
    """The ``learning`` group, showing the commands of the plugins loaded."""

    def _offered(self, name: str) -> bool:
        import ckan.plugins as p

        return p.plugin_loaded("learning_search" if name in SEARCH_COMMANDS
                               else "learning")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in super().list_commands(ctx) if self._offered(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) if self._offered(name) else None


@click.group(cls=_PluginCommands, short_help="Learning Platform commands.")
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
    from ckanext.learning.library import demo as setup
    from ckanext.learning.library import fonts
    from ckanext.learning.media.defaults import add_missing_views
    from ckanext.learning.themes.catalogue import create_themes

    report = create_themes()
    click.echo(f"Theme groups: {report.created} created, {report.kept} kept "
               f"({report.updated} icons pointed at this portal).")
    # made now rather than on the first Khmer page (a few seconds of fontTools)
    font = fonts.khmer_web_font()
    click.echo(f"Khmer web font: {len(font.data) // 1000} kB (WOFF2).")
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
    report = add_missing_views()
    click.echo(f"Previews of stored files: {report.created} views created, "
               f"{report.kept} files without one.")


@learning.command("sync-themes")
def sync_themes() -> None:
    """Set every learning resource's theme-group memberships from its
    ``themes`` field and its tags from its ``keywords`` (after importing
    data, editing groups by hand, or upgrading from a version without
    keyword tags)."""
    import ckan.logic as logic
    import ckan.model as model

    from ckanext.learning.library import keyword_tags
    from ckanext.learning.themes import memberships as themes

    records = [(pkg_id, extras) for pkg_id, extras in
               model.Session.query(model.Package.id, model.Package.extras)
               .filter(model.Package.extras.has_key("themes")
                       | model.Package.extras.has_key("keywords"))]
    with click.progressbar(records, label=f"Syncing {len(records)} datasets") as bar:
        for package_id, extras in bar:
            if "themes" in extras:
                themes.sync_theme_groups(package_id, themes.as_list(extras["themes"]))
            keywords = keyword_tags.from_dataset({"keywords": extras.get("keywords")})
            if keywords is not None:
                package = model.Package.get(package_id)
                keyword_tags.sync_tags(package_id, keyword_tags.public_keywords(
                    {"private": package.private, "state": package.state}, keywords))
            logic.index_update_package({"ignore_auth": True}, package_id, True)
    model.Session.commit()
    click.echo(f"Synced {len(records)} datasets.")


@learning.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """CKAN's background-jobs worker (document text, covers, mail) with rq's
    scheduler, which runs the retries of undelivered mail.  Listens to the
    default queue and the mail queue unless QUEUES are named."""
    import redis
    from ckan.lib import jobs

    from ckanext.learning.jobs import Worker
    from ckanext.learning.mail import delivery

    # mail first: a notification never waits behind a long document
    names = list(queues) or [delivery.QUEUE, jobs.DEFAULT_QUEUE_NAME]
    while True:
        try:
            delivery.enqueue()  # whatever waited while no worker ran
            Worker(names).work(burst=burst, with_scheduler=True)
            return
        except redis.exceptions.ConnectionError as err:
            if burst:
                raise
            # Redis is down or restarting: wait for it, as a supervisor would
            click.echo(f"Redis unavailable ({err}); trying again in {REDIS_WAIT} s",
                       err=True)
            time.sleep(REDIS_WAIT)


@learning.command("mail-sink")
@click.option("--port", type=int, default=None,
              help="Port to listen on  [default: ckanext.learning.mail.sink_port]")
@click.option("--directory", type=click.Path(file_okay=False), default=None,
              help="Where to write the .eml files  "
                   "[default: ckanext.learning.mail.sink_directory]")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on.")
def mail_sink(port: int | None, directory: str | None, host: str) -> None:
    """A local SMTP server that keeps every mail as an .eml file (`make run`
    starts it; smtp.server points at it).  Stops on Ctrl-C or SIGTERM."""
    import signal
    import threading

    from ckanext.learning import config
    from ckanext.learning.mail import sink

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    port = port if port is not None else config.mail_sink_port()
    try:
        sink.serve(directory or config.mail_sink_directory(), host, port, stop,
                   announce=lambda line: click.echo(line))
    except OSError as err:
        raise click.ClickException(
            f"The mail sink cannot listen on {host}:{port} ({err.strerror or err}); "
            "is another one running? Choose another port with --port "
            "(make run: MAIL_PORT=...).") from None


@learning.command("read-documents")
@click.option("--all", "read_all", is_flag=True,
              help="Read every upload again, not only those never read.")
def read_documents(read_all: bool) -> None:
    """Read the text and cover of uploaded documents here and now: those
    never read (uploaded before the feature, or while Redis was down so
    their job was never queued), or with --all every one."""
    import ckan.model as model

    from ckanext.learning.documents import jobs as document_jobs
    from ckanext.learning.documents.model import DocumentText

    query = model.Session.query(model.Resource.id).filter(
        model.Resource.url_type == "upload", model.Resource.state == "active")
    if not read_all:
        query = query.outerjoin(DocumentText,
                                DocumentText.resource_id == model.Resource.id
                                ).filter(DocumentText.resource_id.is_(None))
    ids = [resource_id for (resource_id,) in query]
    statuses: dict[str, int] = {}
    with click.progressbar(ids, label=f"Reading {len(ids)} uploads") as bar:
        for resource_id in bar:
            status = document_jobs.process_resource(resource_id, force=read_all)
            statuses[status or "not a document"] = statuses.get(status or "not a document",
                                                                0) + 1
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
               or "Nothing to read.")


@learning.command("outbox")
def outbox_command() -> None:
    """List the mail not delivered yet (what reviewers see on /learning/review)."""
    from ckanext.learning.mail import outbox

    waiting = outbox.undelivered(limit=1000)
    for mail in waiting:
        click.echo(f"{mail.created:%Y-%m-%d %H:%M} {mail.recipient}: {mail.subject} "
                   f"({mail.attempts} tries; {mail.last_error or 'not tried yet'})")
    click.echo(f"{len(waiting)} mail(s) waiting.")


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


@learning.command("check")
@click.option("--query", "queries", metavar="Q", multiple=True,
              help="A search to compare (a q string, or a JSON object of "
                   "package_search parameters); repeatable. Default: *:* and the "
                   "commonest title words, tags, organisations, themes and formats.")
@click.option("--user", metavar="NAME", help="Also compare as this user.")
@click.option("--common", type=int, default=5, show_default=True,
              help="How many of the commonest words and values the default queries take.")
@click.option("--repeat", "times", type=int, default=1, show_default=True,
              help="Compare this many times (the postings catch up between rounds).")
@click.option("--interval", type=float, default=10.0, show_default=True,
              help="Seconds between rounds.")
def check_command(queries: tuple[str, ...], user: str | None, common: int,
                  times: int, interval: float) -> None:
    """Compare the in-memory postings with SQL and the index with the datasets.

    Read-only. Every search is put to both paths for every role (anonymous,
    each scope a sysadmin can ask for, and --user): counts, facets and result
    ids must agree, and the index must hold exactly the datasets that are
    not deleted. Exits 1 on any disagreement, naming the query and role.
    """
    from ckanext.learning.search import check

    try:
        who = check.roles(user)
        asked = [check.parse_query(q) for q in queries]
    except ValueError as e:
        raise click.BadParameter(str(e)) from None

    def once() -> check.Report:
        wanted = asked or check.default_queries(common)
        with click.progressbar(length=len(wanted) * len(who),
                               label=f"Comparing {len(wanted)} searches "
                                     f"for {len(who)} roles") as bar:
            report = check.run(wanted, who, bar.update)
        report.disagreements += check.index_disagreements()
        return report

    report = check.repeat(max(times, 1), interval, once)
    for disagreement in report.disagreements:
        click.echo(str(disagreement))
    click.echo(f"{report.comparisons} comparisons, {report.by_postings} answered by "
               f"the postings; {len(report.disagreements)} disagreements.")
    if report.disagreements:
        raise click.exceptions.Exit(1)
