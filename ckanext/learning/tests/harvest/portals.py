"""Real CKAN portals on this machine, for the harvest tests (issue 15).

Each portal is its own ini, its own database, its own Redis database, a
gunicorn serving it on a free port and, for a harvesting portal,
ckanext-harvest's gather and fetch consumers.  Everything of a portal runs
in subprocesses: importing ``ckanext.harvest`` in the test process would map
its tables onto core's models and break the purges of later tests.

Used by ``test_ckan_harvest.py`` and ``bench/harvest_table.py``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[4]
VENV = ROOT / ".venv" / "bin"
CKAN = str(VENV / "ckan")
GUNICORN = str(VENV / "gunicorn")
WORK = ROOT / "var" / "harvest-tests"
DB_URL = "postgresql://ckan_default:ckan_default@127.0.0.1/{db}"
# redis-py 5+ times a read out after 5 s: ckanext-harvest's consumers block
# on BLPOP without a timeout and die when idle for longer (ckanext-harvest
# #581).  A long socket_timeout in ckan.redis.url keeps them alive.
REDIS_URL = "redis://127.0.0.1:6379/{db}?socket_timeout=86400"

#: The CSO portal of issue 15 (a): stock CKAN + harvest + dcat + our search
#: and fluent plugins only, with the fluent-aware schema of this repository.
FLUENT_PLUGINS = ("harvest ckan_harvester dcat dcat_rdf_harvester learning_search "
                  "learning_fluent scheming_datasets scheming_groups "
                  "scheming_organizations")
#: (b): stock CKAN with ckanext-harvest; our search only because no Solr
#: runs here (CKAN cannot create a dataset without a search engine).
PLAIN_PLUGINS = "harvest ckan_harvester learning_search"

LOGGING = """
[loggers]
keys = root, ckan, ckanext

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[logger_ckan]
qualname = ckan
handlers =
level = WARN

[logger_ckanext]
qualname = ckanext
handlers =
level = INFO

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without CKAN's own variables: pytest runs
    with CKAN_SQLALCHEMY_URL and CKAN_REDIS_URL set, which would override
    every portal's ini and put all of them in the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}
    return {**env, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(name: str) -> None:
    """An empty database ``name`` (every run starts from nothing)."""
    assert name.startswith("ckan_learning_harvest_"), name
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-qtAc"]
    subprocess.run([*psql, f'drop database if exists "{name}" with (force)'],
                   check=True, capture_output=True)
    subprocess.run([str(ROOT / "bin" / "ensure-database"), name], check=True,
                   capture_output=True)


@dataclass
class Portal:
    """One CKAN portal: ``name`` (its site id and files), its database and
    Redis db, its plugins and the lines of its ini."""

    name: str
    database: str
    redis_db: int
    settings: dict[str, str]
    port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    token: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def dir(self) -> Path:
        return WORK / self.name

    @property
    def ini(self) -> Path:
        return self.dir / "ckan.ini"

    def log(self, what: str) -> Path:
        return self.dir / f"{what}.log"

    # -- set-up ---------------------------------------------------------

    def write_ini(self, base: str | None = None) -> None:
        """``base`` (an ini's text, e.g. test.ini's) with this portal's
        settings in [app:main]; without it, a minimal portal."""
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        settings = {
            "sqlalchemy.url": DB_URL.format(db=self.database),
            "ckan.redis.url": REDIS_URL.format(db=self.redis_db),
            "ckan.site_url": self.url,
            "ckan.site_id": self.name,
            "ckan.storage_path": str(self.dir / "storage"),
            **self.settings,
        }
        if base is None:
            base = ("[DEFAULT]\ndebug = false\n\n[app:main]\nuse = egg:ckan\n"
                    + LOGGING)
            settings = {
                "SECRET_KEY": f"{self.name}-secret",
                "WTF_CSRF_SECRET_KEY": f"{self.name}-secret",
                "api_token.jwt.encode.secret": f"string:{self.name}-secret",
                "api_token.jwt.decode.secret": f"string:{self.name}-secret",
                "ckan.site_title": self.name,
                "solr_url": "http://127.0.0.1:8983/solr/ckan-unused",
                "ckanext.learning.search.backend": "postgres",
                "ckan.harvest.mq.type": "redis",
                "ckan.locale_default": "en",
                "ckan.locales_offered": "km en",
                "ckan.auth.create_user_via_web": "false",
                "smtp.server": "localhost",
                **settings,
            }
        base = base.replace("%(here)s", str(ROOT))
        lines = base.splitlines()
        start = lines.index("[app:main]") + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")),
                   len(lines))
        body = [line for line in lines[start:end]
                if not (m := re.match(r"\s*([^#=\s][^=]*?)\s*=", line))
                or m.group(1) not in settings]
        body += [f"{key} = {value}" for key, value in settings.items()]
        self.ini.write_text("\n".join(lines[:start] + body + [""] + lines[end:]) + "\n")

    def ckan(self, *args: str, timeout: float = 180) -> str:
        """``ckan -c INI args``: its output, or an AssertionError with it."""
        done = subprocess.run([CKAN, "-c", str(self.ini), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout,
                              env=clean_env())
        assert done.returncode == 0, (
            f"[{self.name}] ckan {' '.join(args)} failed ({done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
        return done.stdout

    def create(self, *upgrades: str) -> None:
        recreate_database(self.database)
        out = self.ckan("db", "upgrade")
        for plugin in upgrades:
            # `db upgrade` runs the enabled plugins' migrations too, when
            # it finds them pending
            if f"migrations for {plugin}" not in out:
                self.ckan("db", "upgrade", "-p", plugin)

    def bootstrap(self, org: str) -> str:
        """The site user's API token (kept in ``self.token``) and, unless
        ``org`` is "none", the organisation ``our-cso`` (see bootstrap.py)."""
        done = subprocess.run(
            [str(VENV / "python"), str(Path(__file__).with_name("bootstrap.py")),
             str(self.ini), org],
            cwd=ROOT, capture_output=True, text=True, timeout=180, env=clean_env())
        assert done.returncode == 0, f"[{self.name}] bootstrap:\n{done.stderr[-6000:]}"
        self.token = done.stdout.strip().splitlines()[-1]
        return self.token

    # -- processes --------------------------------------------------------

    def spawn(self, what: str, argv: list[str], env: dict[str, str] | None = None
              ) -> subprocess.Popen:
        with open(self.log(what), "ab") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    env=clean_env(**(env or {})),
                                    start_new_session=True)
        self.processes.append(proc)
        return proc

    def serve(self, timeout: float = 60) -> None:
        self.spawn("gunicorn", [
            GUNICORN, "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
            "--threads", "8", "--timeout", "120", "--pythonpath", "bin",
            "wsgi:application"], env={"CKAN_INI": str(self.ini)})
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            self.check_alive()
            assert time.monotonic() < deadline, (
                f"[{self.name}] not serving:\n{self.tail('gunicorn')}")
            time.sleep(0.3)

    def start_consumers(self) -> None:
        for queue in ("gather", "fetch"):
            self.spawn(f"{queue}-consumer",
                       [CKAN, "-c", str(self.ini), "harvester", f"{queue}-consumer"])

    def check_alive(self) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise AssertionError(f"[{self.name}] {proc.args[:4]} exited with "
                                     f"{proc.returncode}:\n{self.tails()}")

    def tail(self, what: str, chars: int = 4000) -> str:
        path = self.log(what)
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def tails(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.dir.glob("*.log")))

    def stop(self) -> None:
        """Every process this portal started, SIGTERM then SIGKILL after 5 s."""
        for proc in self.processes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, 15)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, 9)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self.processes.clear()

    # -- API ----------------------------------------------------------------

    def action(self, name: str, data: dict[str, Any] | None = None, *,
               auth: bool = True, check: bool = True) -> Any:
        headers = {"Authorization": self.token} if auth and self.token else {}
        response = requests.post(f"{self.url}/api/3/action/{name}", json=data or {},
                                 headers=headers, timeout=60)
        body = response.json() if response.headers.get("content-type", "").startswith(
            "application/json") else {"success": False, "error": response.text[:2000]}
        if check:
            assert body.get("success"), f"[{self.name}] {name}: {response.status_code} {body}"
            return body["result"]
        return body

    def records(self, fq: str = "", auth: bool = False) -> list[dict[str, Any]]:
        """Every dataset that ``package_search`` gives (anonymously unless
        ``auth``), as the CKAN harvester reads them: in pages of 100."""
        found: list[dict[str, Any]] = []
        while True:
            page = self.action("package_search", {
                "q": "*:*", "fq": fq, "rows": 100, "start": len(found),
                "sort": "id asc", "include_private": auth}, auth=auth)
            found += page["results"]
            if not page["results"] or len(found) >= page["count"]:
                return found


# -- harvesting -------------------------------------------------------------------


def harvest(target: Portal, source_url: str, source_type: str, config: dict[str, Any],
            name: str, deadline: float) -> dict[str, Any]:
    """Create the harvest source ``name`` on ``target`` (unless it exists),
    run one job through the real queues and consumers, and return the
    finished job (``harvest_job_show``) with its ``report`` (errors per
    object).  AssertionError at ``deadline`` (time.monotonic())."""
    source = target.action("harvest_source_show", {"id": name}, check=False)
    source = source["result"] if source.get("success") else target.action(
        "harvest_source_create", {
            "name": name, "title": name, "url": source_url, "source_type": source_type,
            "frequency": "MANUAL", "config": json.dumps(config), "owner_org": "our-cso"})
    job = target.action("harvest_job_create", {"source_id": source["id"], "run": True})
    while True:
        target.check_alive()
        shown = target.action("harvest_job_show", {"id": job["id"]})
        if shown["status"] == "Finished":
            shown["report"] = target.action("harvest_job_report", {"id": job["id"]})
            return shown
        # What `ckan harvester run` does (closes finished jobs), but only once
        # every object has its result: it also re-sends every waiting object
        # that is not in the Redis queue, the one the fetch consumer is on
        # included, which then is imported twice ("not modified" the second
        # time); a cron every few minutes has the same race, more rarely.
        pending = {k: v for k, v in shown["stats"].items() if k in (None, "null", "None")}
        if shown.get("gather_finished") and not pending:
            target.action("harvest_jobs_run", {"source_id": source["id"]})
        assert time.monotonic() < deadline, (
            f"[{target.name}] harvest job still {shown['status']} at the deadline: "
            f"{shown.get('stats')}\n{target.tails()}")
        time.sleep(1)


# -- what arrived ---------------------------------------------------------------

KHMER = re.compile("[\u1780-\u17ff]")


def _khmer(value: Any) -> bool:
    return bool(KHMER.search(json.dumps(value, ensure_ascii=False))) if value else False


def _both(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.get("en")) and bool(value.get("km"))


def _themes(record: dict[str, Any]) -> list[str]:
    """Theme names: ``themes``, else DCAT ``theme`` URIs' last segment,
    else the record's groups."""
    if record.get("themes"):
        return sorted(record["themes"])
    if record.get("theme"):
        return sorted(re.split("[/#]", uri.rstrip("/"))[-1] for uri in record["theme"])
    return sorted(g["name"] for g in record.get("groups") or [])


def _extras(record: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in record.get("extras") or []}


def _translated(record: dict[str, Any], field: str) -> dict[str, str]:
    """``field`` (title, notes) per language: our ``<field>_translated``;
    on a core-fields portal (harvest/core_fields.py), core ``<field>`` in
    the language of its script and the other language in ``extras``."""
    if f"{field}_translated" in record:
        return {k: v for k, v in (record[f"{field}_translated"] or {}).items() if v}
    found = {key.removeprefix(f"{field}_"): value for key, value in _extras(record).items()
             if key in (f"{field}_km", f"{field}_en") and value}
    core = record.get(field) or ""
    if core:
        found["km" if KHMER.search(core) else "en"] = core
    return found


def _keywords(record: dict[str, Any]) -> dict[str, list[str]]:
    """Keywords per language: ``keywords`` (ours), ``tags_translated``
    (ckanext-dcat's multilingual schema), or on a core-fields portal the
    ``keywords_<lang>`` extras."""
    words = record.get("keywords") or record.get("tags_translated") or {
        key.removeprefix("keywords_"): value.split(", ")
        for key, value in _extras(record).items() if key.startswith("keywords_")}
    return {lang: sorted(values) for lang, values in words.items() if values}


def _organisation(s: dict[str, Any], t: dict[str, Any]) -> bool:
    """The same organisation, or (DCAT, where every record belongs to the
    harvest source's organisation) a publisher of the same name."""
    org = s.get("organization") or {}
    if (t.get("organization") or {}).get("name") == org.get("name"):
        return True
    publisher = (t.get("publisher") or [{}])[0]
    return bool(publisher.get("name")) and publisher.get("name") == org.get("title")


def transfer(source: list[dict[str, Any]], target: list[dict[str, Any]]) -> dict[str, str]:
    """One row of the transfer table: of the source's records, how many
    arrived, and with what (matched by name, as the CKAN harvester keeps it;
    by title for the DCAT harvester, which makes its own names)."""
    by_name = {r["name"]: r for r in target}
    by_title = {r.get("title"): r for r in target}
    pairs = [(s, by_name.get(s["name"]) or by_title.get(s["title"])) for s in source]
    pairs = [(s, t) for s, t in pairs if t]
    n = len(source)

    def count(test) -> str:
        return f"{sum(1 for s, t in pairs if test(s, t))}/{n}"

    def same_keywords(s, t) -> bool:
        wanted = _keywords(s)
        if not wanted:
            return False
        if _keywords(t) == wanted:
            return True
        tags = {tag["name"] for tag in t.get("tags") or []}
        return {w for words in wanted.values() for w in words} <= tags

    def khmer_and_english(s, t) -> bool:
        return all(_both(_translated(t, f)) and _translated(t, f) == _translated(s, f)
                   for f in ("title", "notes"))

    resources = sum(len(s.get("resources") or []) for s in source)
    arrived = sum(1 for s, t in pairs for r in s.get("resources") or []
                  if r["url"] in {x["url"] for x in t.get("resources") or []})
    return {
        "records": f"{len(pairs)}/{n}",
        "Khmer title+summary": count(
            lambda s, t: _khmer(_translated(t, "title").get("km"))
            and _khmer(_translated(t, "notes").get("km"))),
        "both languages": count(khmer_and_english),
        "keywords (km+en)": count(same_keywords),
        "themes": count(lambda s, t: bool(_themes(s)) and _themes(t) == _themes(s)),
        "organisation": count(_organisation),
        "licence": count(lambda s, t: bool(s.get("license_id"))
                         and t.get("license_id") == s.get("license_id")),
        "resources": f"{arrived}/{resources}",
    }


def table(rows: dict[str, dict[str, str]]) -> str:
    """``rows`` (path -> transfer()) as a Markdown table."""
    columns = list(next(iter(rows.values())))
    lines = ["| path | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    lines += [f"| {path} | " + " | ".join(row[c] for c in columns) + " |"
              for path, row in rows.items()]
    return "\n".join(lines)
