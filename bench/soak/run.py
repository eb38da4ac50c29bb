#!/usr/bin/env python3
"""Soak and drills (issue 14): under steady load, does the portal answer
sensibly while PostgreSQL, Redis, SMTP, a worker or the disk fail, recover
quickly, and keep every write and mail it acknowledged?

    .venv/bin/python bench/soak/run.py [--seconds 300] [--keep-db] [--drop-cluster]

Run from the repository, as root (it mounts a tmpfs and drives a PostgreSQL
cluster of its own).  Everything is its own and on loopback: the cluster
``15 soak`` on port 5440 (created once, kept on disk), a redis-server, an
aiosmtpd sink, the portal under gunicorn (``bin/serve``, 2 workers) and its
jobs worker, ``ckan.storage_path`` on a 64 MB tmpfs.  20 readers and 2
writers run for ``--seconds`` while the drills follow one another on a
timeline; then every acknowledged write is checked in the database, the
search index and on disk, and every mail the acknowledged transitions imply
is looked for at the sink.  Nothing is assumed: each summary line is measured.
The report is printed and kept as JSON in the run's scratch folder
(``/tmp/ckan-learning-soak/run-*/report.json``).  Never touches the shared
PostgreSQL (5432) or Redis (6379); cleans up on error and Ctrl-C.
"""
from __future__ import annotations

import argparse
import atexit
import configparser
import email
import email.policy
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg2
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CKAN = os.path.join(ROOT, ".venv", "bin", "ckan")
PG_VERSION, PG_CLUSTER = "15", "soak"
DB_ROLE = DB_PASSWORD = "ckan_default"
ADMIN = "admin"
CONTRIBUTOR, CONTRIBUTOR_ORG = "sokha", "tonle-forest-alliance"  # demo_submissions.json
WRITER2, WRITER2_ORG = "soak-writer", "community-legal-aid"
ENGLISH = ["forest", "women", "fisheries", "land", "education", "disability", "journalism"]
KHMER = ["សហគមន៍", "ព្រៃ", "នេសាទ", "ស្ត្រី", "ការអប់រំ", "ដីធ្លី"]

T0 = time.monotonic()
#: Seconds after which a client drops its idle keep-alive connection:
#: gunicorn closes one after 2 s (``--keep-alive``), and a request sent
#: just then fails with no answer, an artefact of the client, not a fault.
IDLE_CLOSE = 1.0


def now() -> float:
    """Seconds since the script started (every timestamp of the report)."""
    return time.monotonic() - T0


def log(message: str) -> None:
    print(f"[soak {now():7.1f}s] {message}", flush=True)


def run(cmd: list[str], check: bool = True, timeout: float = 600,
        **kwargs: Any) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                            cwd=kwargs.pop("cwd", ROOT), **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    if port_free(preferred):
        return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def percentile(values: list[float], p: float) -> float | None:
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# ------------------------------------------------------------------ services

class Cleanup:
    """Undo steps, newest first, run once (finally, atexit, SIGTERM)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, Any]] = []
        self.done = False

    def add(self, name: str, fn: Any) -> None:
        self.steps.append((name, fn))

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        for name, fn in reversed(self.steps):
            try:
                fn()
            except Exception as err:  # keep cleaning
                print(f"[soak cleanup] {name}: {err!r}", flush=True)


class Cluster:
    """The soak's own PostgreSQL cluster: stopped, started, frozen at will."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.frozen: list[int] = []

    def _row(self) -> list[str] | None:
        out = run(["pg_lsclusters", "--no-header"]).stdout
        for line in out.splitlines():
            cols = line.split()
            if cols[:2] == [PG_VERSION, PG_CLUSTER]:
                return cols
        return None

    def ensure(self) -> None:
        row = self._row()
        if row is None:
            log(f"creating cluster {PG_VERSION}/{PG_CLUSTER} on port {self.port}")
            run(["pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", str(self.port)])
            row = self._row()
        assert row is not None
        if int(row[2]) != self.port:
            raise SystemExit(f"cluster {PG_VERSION}/{PG_CLUSTER} listens on {row[2]}, "
                             f"not {self.port}: pass --pg-port {row[2]}")
        self.data_dir = row[5]
        if row[3] == "online":
            self.thaw(all_pids=True)  # a run killed mid-freeze
        else:
            self.start()

    def start(self) -> None:
        run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"])

    def stop(self) -> None:
        run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "stop", "-m", "fast"], check=False)

    def pids(self) -> list[int]:
        try:
            with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
                postmaster = int(f.readline())
        except (OSError, ValueError):
            return []
        try:  # a stale file after a crash may name someone else
            with open(f"/proc/{postmaster}/cmdline", "rb") as f:
                if self.data_dir.encode() not in f.read() and \
                        b"postgres" not in open(f"/proc/{postmaster}/comm", "rb").read():
                    return []
        except OSError:
            return []
        return [postmaster, *children(postmaster)]

    def freeze(self) -> None:
        for _ in range(3):  # backends forked while stopping the others
            for pid in self.pids():
                if pid not in self.frozen:
                    os.kill(pid, signal.SIGSTOP)
                    self.frozen.append(pid)

    def thaw(self, all_pids: bool = False) -> None:
        for pid in (self.pids() if all_pids else []) + self.frozen:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.frozen = []

    def psql(self, sql: str) -> str:
        return run(["runuser", "-u", "postgres", "--", "psql", "-p", str(self.port),
                    "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql]).stdout.strip()

    def ensure_database(self, db: str, fresh: bool) -> None:
        if self.psql(f"select 1 from pg_roles where rolname='{DB_ROLE}'") != "1":
            self.psql(f"create role {DB_ROLE} login password '{DB_PASSWORD}'")
        exists = self.psql(f"select 1 from pg_database where datname='{db}'") == "1"
        if exists and fresh:
            self.psql(f"drop database {db} with (force)")
            exists = False
        if not exists:
            self.psql(f"create database {db} owner {DB_ROLE} encoding 'UTF8' "
                      "template template0")

    def connect(self, db: str) -> Any:
        return psycopg2.connect(host="127.0.0.1", port=self.port, dbname=db,
                                user=DB_ROLE, password=DB_PASSWORD, connect_timeout=10)


class Redis:
    def __init__(self, port: int, folder: str) -> None:
        self.port, self.folder, self.proc = port, folder, None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.folder],
            stdout=open(os.path.join(self.folder, "redis.log"), "a"),
            stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(100):
            if not port_free(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class MailSink:
    """aiosmtpd keeping every message; or, when hung, a socket that never
    answers on the same port; or nothing (connections refused)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.controller: Any = None
        self.hung: socket.socket | None = None
        self.held: list[socket.socket] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        with self.lock:
            self.messages.append({"t": now(), "to": list(envelope.rcpt_tos),
                                  "subject": str(msg["subject"] or ""),
                                  "body": body.get_content() if body else ""})
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def hang(self) -> None:
        self.stop()
        self.hung = socket.socket()
        self.hung.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.hung.bind(("127.0.0.1", self.port))
        self.hung.listen(64)
        threading.Thread(target=self._hold, args=(self.hung,), daemon=True).start()

    def _hold(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            self.held.append(conn)  # and never say a word

    def unhang(self) -> None:
        if self.hung is not None:
            try:  # wakes the thread blocked in accept(); close() alone does not
                self.hung.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.hung.close()
            self.hung = None
        for conn in self.held:
            conn.close()
        self.held = []


class Portal:
    """gunicorn through bin/serve, and the background worker."""

    def __init__(self, ini: str, port: int, folder: str, workers: int, threads: int) -> None:
        self.ini, self.port, self.folder = ini, port, folder
        self.workers, self.threads = workers, threads
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_cmd: list[str] = []
        self.worker_exits: list[tuple[float, int]] = []
        self.supervising = threading.Event()
        self.supervisor: threading.Thread | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start_server(self) -> None:
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port),
                   WORKERS=str(self.workers), THREADS=str(self.threads))
        self.server = subprocess.Popen(
            [os.path.join(ROOT, "bin", "serve"), self.ini], cwd=ROOT, env=env,
            stdout=open(os.path.join(self.folder, "gunicorn.log"), "a"),
            stderr=subprocess.STDOUT, start_new_session=True)

    def worker_command(self) -> list[str]:
        helped = run([CKAN, "-c", self.ini, "learning", "--help"], check=False).stdout
        if re.search(r"^\s+worker\b", helped, re.M):
            return [CKAN, "-c", self.ini, "learning", "worker"]
        return [CKAN, "-c", self.ini, "jobs", "worker"]

    def start_worker(self, restart: bool) -> list[str]:
        """Start the worker; with ``restart``, start it again a second after
        it exits, as the production stack's ``restart: unless-stopped``
        does (each exit is reported)."""
        self.worker_cmd = self.worker_command()
        self._spawn_worker()
        self.supervising.set()
        if restart:
            self.supervisor = threading.Thread(target=self._supervise, daemon=True)
            self.supervisor.start()
        return self.worker_cmd

    def _spawn_worker(self) -> None:
        self.worker = subprocess.Popen(
            self.worker_cmd, cwd=ROOT,
            stdout=open(os.path.join(self.folder, "worker.log"), "a"),
            stderr=subprocess.STDOUT, start_new_session=True)

    def _supervise(self) -> None:
        while self.supervising.is_set():
            time.sleep(0.5)
            if self.worker is not None and self.worker.poll() is not None \
                    and self.supervising.is_set():
                self.worker_exits.append((now(), self.worker.returncode))
                time.sleep(1)
                if self.supervising.is_set():
                    self._spawn_worker()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server is not None and self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.folder}/gunicorn.log")
            try:
                if requests.get(self.base + "/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("the portal did not answer in time")

    def worker_pids(self) -> list[int]:
        return children(self.server.pid) if self.server is not None else []

    @staticmethod
    def _stop(proc: subprocess.Popen | None) -> None:
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def stop(self) -> None:
        self.supervising.clear()
        if self.supervisor is not None:
            self.supervisor.join(5)
        self._stop(self.server)
        self._stop(self.worker)


class Disk:
    """``ckan.storage_path`` on a tmpfs of its own, filled at will."""

    def __init__(self, path: str, megabytes: int) -> None:
        self.path, self.megabytes = path, megabytes
        self.filler = os.path.join(path, "soak-filler.bin")

    def mount(self) -> None:
        os.makedirs(self.path, exist_ok=True)
        if os.path.ismount(self.path):
            self.umount()
        run(["mount", "-t", "tmpfs", "-o", f"size={self.megabytes}m,mode=0755",
             "tmpfs", self.path])

    def umount(self) -> None:
        self.free()
        for _ in range(5):
            if run(["umount", self.path], check=False).returncode == 0:
                return
            time.sleep(1)
        run(["umount", "-l", self.path], check=False)

    def fill(self) -> int:
        """Fill the disk to the last byte: fallocate what is free (all or
        nothing on tmpfs, so it fails if an upload lands meanwhile), then
        write until the disk says it is full."""
        written = 0
        with open(self.filler, "ab", buffering=0) as f:
            try:
                size = self.available()
                os.posix_fallocate(f.fileno(), 0, size)
                written = size
            except OSError:
                pass
            f.seek(0, os.SEEK_END)
            for chunk in (b"\0" * 1024 * 1024, b"\0" * 4096, b"\0" * 512):
                try:
                    while True:
                        written += f.write(chunk)
                except OSError:
                    pass
        return written

    def free(self) -> None:
        if os.path.exists(self.filler):
            os.remove(self.filler)

    def available(self) -> int:
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize


# ------------------------------------------------------------------ load

@dataclass
class Sample:
    role: str        # read / write
    op: str
    start: float
    end: float
    status: int | str  # HTTP status, "timeout" or "connection"
    repeat: bool = False  # a 409 refusing a retry whose earlier try went through
    error: str = ""       # the exception, when there was no answer

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and 200 <= self.status < 300


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    acked: list[dict[str, Any]] = field(default_factory=list)
    mail_failed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def request(load: Load, session: requests.Session, role: str, op: str, method: str,
            url: str, timeout: float, **kwargs: Any
            ) -> tuple[Sample, requests.Response | None]:
    if now() - getattr(session, "soak_last_used", 0.0) > IDLE_CLOSE:
        session.close()  # not a connection gunicorn may be closing as we send
    start = now()
    response: requests.Response | None = None
    error = ""
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
        response.content  # noqa: B018 - read the whole answer
        status: int | str = response.status_code
    except requests.Timeout as err:
        status, error = "timeout", repr(err)[:200]
    except requests.RequestException as err:
        status, error = "connection", repr(err)[:200]
    session.soak_last_used = now()  # type: ignore[attr-defined]
    sample = Sample(role, op, start, now(), status, error=error)
    load.samples.append(sample)
    return sample, response


def reader(number: int, base: str, datasets: list[str], load: Load, think: float,
           timeout: float) -> None:
    rng = random.Random(number)
    session = requests.Session()
    quote = urllib.parse.quote
    while not load.stop.is_set():
        kind = rng.choice(["home", "search-en", "search-km", "dataset", "api-search"])
        if kind == "home":
            path = "/"
        elif kind == "search-en":
            path = "/dataset/?q=" + quote(rng.choice(ENGLISH))
        elif kind == "search-km":
            path = "/dataset/?q=" + quote(rng.choice(KHMER))
        elif kind == "dataset":
            path = "/dataset/" + rng.choice(datasets)
        else:
            path = "/api/3/action/package_search?rows=5&q=" + quote(rng.choice(ENGLISH + KHMER))
        request(load, session, "read", kind, "GET", base + path, timeout)
        load.stop.wait(rng.uniform(0, 2 * think))


def demo_pdf(title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, f"Soak test upload: {title}")
    return bytes(pdf.output())


class Writer:
    """Create, maybe upload, submit (mail to reviewers), approve (mail to the
    submitter); each step retried until acknowledged or the time is up."""

    def __init__(self, number: int, base: str, run_id: str, user: str, org: str,
                 token: str, admin_token: str, load: Load, pause: float,
                 timeout: float) -> None:
        self.number, self.base, self.run_id = number, base, run_id
        self.user, self.org, self.load = user, org, load
        self.pause, self.timeout = pause, timeout
        self.as_user = requests.Session()
        self.as_user.headers["Authorization"] = token
        self.as_admin = requests.Session()
        self.as_admin.headers["Authorization"] = admin_token

    def call(self, session: requests.Session, action: str, **kwargs: Any
             ) -> tuple[Sample, dict[str, Any] | None]:
        sample, response = request(self.load, session, "write", action, "POST",
                                   f"{self.base}/api/3/action/{action}", self.timeout,
                                   **kwargs)
        if response is None:
            return sample, None
        try:
            return sample, response.json()
        except ValueError:
            return sample, None

    def step(self, session: requests.Session, action: str, **kwargs: Any
             ) -> dict[str, Any] | None:
        """The action's result once acknowledged; None if refused as a
        repeat of an unacknowledged success (409 after a failure) or when
        the time is up."""
        failed_before = False
        while not self.load.stop.is_set():
            sample, body = self.call(session, action, **kwargs)
            status = sample.status
            if sample.ok and body and body.get("success"):
                return body["result"]
            if status == 409 and failed_before:
                sample.repeat = True
                self.load.repeats.append(f"{action} {kwargs.get('json', {}).get('id', '')}")
                return None  # the earlier try went through after all
            if status in (400, 403, 404, 409):
                self.load.notes.append(f"writer {self.number}: {action} refused "
                                       f"{status}: {json.dumps(body)[:400]}")
                return None
            failed_before = True
            self.load.stop.wait(0.5)
        return None

    def loop(self) -> None:
        seq = 0
        while not self.load.stop.is_set():
            seq += 1
            try:
                self.pipeline(seq)
            except Exception as err:  # a bug here must not end the soak silently
                self.load.notes.append(f"writer {self.number}: {err!r}")
            self.load.stop.wait(self.pause)

    def pipeline(self, seq: int) -> None:
        name = f"soak-{self.run_id}-w{self.number}-{seq}"
        upload = seq % 2 == 0
        dataset = {
            "type": "learning-resource", "name": name, "owner_org": self.org,
            "title_translated": {"en": f"Soak record {name}", "km": f"កំណត់ត្រាសាកល្បង {name}"},
            "notes_translated": {"en": "Written by the soak benchmark.",
                                 "km": "សរសេរដោយការសាកល្បងរយៈពេលវែង។"},
            "resource_type": "toolkit", "themes": ["environment-nrm"],
            "language": ["km", "en"], "license_id": "CC-BY-4.0",
            "resources": [] if upload else [
                {"name": "Link", "url": f"https://video.example.org/{name}"}],
        }
        # a create is never retried under the same name: an unacknowledged
        # one may have gone through
        sample, body = self.call(self.as_user, "package_create", json=dataset)
        if not (sample.ok and body):
            if sample.status in (400, 403, 409):
                self.load.notes.append(f"writer {self.number}: package_create "
                                       f"{sample.status}: {json.dumps(body)[:400]}")
            return
        created = body["result"]
        self.ack("create", name, created["id"])
        if upload:
            pdf = demo_pdf(name)
            resource = self.step(
                self.as_user, "resource_create",
                data={"package_id": created["id"], "name": "Document", "format": "PDF",
                      "url": f"{name}.pdf"},
                files={"upload": (f"{name}.pdf", pdf, "application/pdf")})
            if resource is None:
                return
            self.ack("upload", name, created["id"], resource_id=resource["id"],
                     size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest())
        result = self.step(self.as_user, "learning_submit",
                           json={"id": created["id"], "accept_terms": True,
                                 "comment": "soak"})
        if result is None:
            return
        self.ack("submit", name, created["id"], mail_failed=result.get("mail_failed"))
        result = self.step(self.as_admin, "learning_review",
                           json={"id": created["id"], "decision": "approve"})
        if result is None:
            return
        self.ack("approve", name, created["id"], mail_failed=result.get("mail_failed"))

    def ack(self, op: str, name: str, package_id: str, **extra: Any) -> None:
        self.load.acked.append({"op": op, "name": name, "id": package_id, "t": now(),
                                "user": self.user, **extra})
        if extra.get("mail_failed"):
            self.load.mail_failed.append({"op": op, "name": name, "t": now(),
                                          "failed": extra["mail_failed"]})


# ------------------------------------------------------------------ drills

@dataclass
class Drill:
    name: str
    start: float = 0.0        # fault begins
    end: float = 0.0          # fault removed (for an instant fault: = start)
    window_end: float = 0.0   # end of the stats window
    detail: str = ""


def plan(seconds: float, names: list[str]) -> tuple[float, float, float]:
    """(warm-up, drill length, gap): 20 s / 20 s / 15 s at 300 s, scaled."""
    warm = max(5.0, seconds * 20 / 300)
    tail = max(5.0, seconds * 35 / 300)
    slot = (seconds - warm - tail) / len(names)
    return warm, slot * 20 / 35, slot * 15 / 35


# ------------------------------------------------------------------ the soak

class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cleanup = Cleanup()
        self.run_id = format(int(time.time()), "x")[-6:]
        self.scratch = args.scratch
        self.folder = os.path.join(self.scratch, time.strftime("run-%Y%m%d-%H%M%S"))
        os.makedirs(self.folder, exist_ok=True)
        self.ini = os.path.join(self.scratch, "ckan.ini")
        self.storage = os.path.join(self.scratch, "storage")
        self.load = Load()
        self.drills: list[Drill] = []
        self.setup_notes: dict[str, Any] = {}
        self.scheduler_states: list[tuple[float, str]] = []

    # -------------------------------------------------------------- set-up
    def setup(self) -> None:
        a = self.args
        self.port = free_port(a.port)
        self.redis_port = free_port(a.redis_port)
        self.smtp_port = free_port(a.smtp_port)
        if self.redis_port == 6379 or a.pg_port == 5432:
            raise SystemExit("refusing the shared Redis (6379) / PostgreSQL (5432)")
        self.cluster = Cluster(a.pg_port)
        self.cluster.ensure()
        self.cleanup.add("stop the soak cluster", self.cluster.stop)
        self.cleanup.add("thaw the soak cluster", self.cluster.thaw)  # runs before stop
        if a.drop_cluster:
            self.cleanup.steps.insert(0, ("drop the soak cluster", lambda: run(
                ["pg_dropcluster", PG_VERSION, PG_CLUSTER, "--stop"], check=False)))
        self.cluster.ensure_database(a.db, fresh=not a.keep_db)

        self.disk = Disk(self.storage, a.tmpfs_mb)
        self.disk.mount()
        self.cleanup.add("unmount the storage tmpfs", self.disk.umount)

        self.redis = Redis(self.redis_port, self.folder)
        self.redis.start()
        self.cleanup.add("stop redis", lambda: self.redis.stop())

        self.mail = MailSink(self.smtp_port)
        self.mail.start()
        self.cleanup.add("stop the SMTP sink", lambda: (self.mail.unhang(), self.mail.stop()))

        self.write_config()
        log("ckan db upgrade, learning init")
        run([CKAN, "-c", self.ini, "db", "upgrade"])
        init = run([CKAN, "-c", self.ini, "learning", "init"])
        self.setup_notes["init"] = init.stdout.strip().splitlines()[-4:]

        self.admin_token = self.token(ADMIN)
        self.portal = Portal(self.ini, self.port, self.folder, a.workers, a.threads)
        self.cleanup.add("stop gunicorn and the worker", self.portal.stop)
        self.cleanup.add("thaw the soak cluster first", self.cluster.thaw)
        self.portal.start_server()
        self.setup_notes["worker_command"] = " ".join(
            self.portal.start_worker(not a.no_restart_worker)[1:])
        self.portal.wait_ready()
        self.writer2_token = self.ensure_writer2()
        self.contributor_token = self.token(CONTRIBUTOR)
        self.reviewer_emails = self.reviewer_addresses()
        self.datasets = self.demo_names()
        self.warm()
        threading.Thread(target=self.watch_scheduler, daemon=True).start()

    def write_config(self) -> None:
        run([os.path.join(ROOT, "bin", "write-config"), self.ini, self.args.db, str(self.port)])
        settings = {
            "sqlalchemy.url": f"postgresql://{DB_ROLE}:{DB_PASSWORD}@127.0.0.1:"
                              f"{self.args.pg_port}/{self.args.db}",
            "ckan.redis.url": f"redis://127.0.0.1:{self.redis_port}/1",
            "ckan.storage_path": self.storage,
            "licenses_group_url": f"file://{ROOT}/ckanext/learning/data/licenses.json",
            "smtp.server": f"127.0.0.1:{self.smtp_port}",
            "smtp.mail_from": "soak@learning.example.org",
            "ckanext.learning.review.notify": "true",
        }
        settings.update(self.declared_settings())
        self.setup_notes["config"] = settings
        run([CKAN, "config-tool", self.ini, *[f"{k}={v}" for k, v in settings.items()]])
        parser = configparser.RawConfigParser(strict=False)
        parser.read(self.ini)
        written = dict(parser.items("app:main"))
        for key in ("sqlalchemy.url", "ckan.redis.url", "ckan.storage_path", "smtp.server"):
            if written.get(key) != settings[key]:
                raise SystemExit(f"{self.ini}: {key} is {written.get(key)!r}, not "
                                 f"{settings[key]!r}; refusing to touch shared services")

    def declared_settings(self) -> dict[str, str]:
        """Options of the extension sized for the soak, where they exist:
        short retry delays for the mail outbox, and a free-space reserve
        for uploads that a 64 MB disk can keep (the default, 200 MB, would
        refuse every upload there)."""
        import yaml

        found: dict[str, str] = {}
        for folder, _, files in os.walk(os.path.join(ROOT, "ckanext", "learning")):
            if "config_declaration.yaml" not in files:
                continue
            with open(os.path.join(folder, "config_declaration.yaml")) as f:
                declared = yaml.safe_load(f) or {}
            for group in declared.get("groups", []):
                for option in group.get("options", []):
                    key = option.get("key", "")
                    if key == "ckanext.learning.upload.min_free_mb":
                        found[key] = str(max(1, self.args.tmpfs_mb // 8))
                    if not re.match(r"ckanext\.learning\.(mail|outbox|notify)", key):
                        continue
                    if re.search(r"retry|backoff|interval|delay|wait", key) and \
                            option.get("type") in ("int", "float"):
                        found[key] = "10" if "max" in key else "2"
        return found

    def token(self, user: str) -> str:
        out = run([CKAN, "-c", self.ini, "user", "token", "add", user, "soak"]).stdout
        return [line.strip() for line in out.splitlines() if line.strip()][-1]

    def api(self, action: str, token: str | None = None, method: str = "GET",
            timeout: float = 60, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": token} if token else {}
        r = requests.request(method, f"{self.portal.base}/api/3/action/{action}",
                             headers=headers, timeout=timeout, **kwargs)
        return r.json()

    def ensure_writer2(self) -> str:
        shown = self.api("user_show", self.admin_token, params={"id": WRITER2})
        if not shown.get("success"):
            made = self.api("user_create", self.admin_token, "POST", json={
                "name": WRITER2, "email": f"{WRITER2}@learning.example.org",
                "password": "soak-writer-password", "fullname": "Soak Writer"})
            if not made.get("success"):
                raise RuntimeError(f"user_create: {made}")
        member = self.api("organization_member_create", self.admin_token, "POST", json={
            "id": WRITER2_ORG, "username": WRITER2, "role": "editor"})
        if not member.get("success"):
            raise RuntimeError(f"organization_member_create: {member}")
        return self.token(WRITER2)

    def reviewer_addresses(self) -> list[str]:
        """Who a submission mails (workflow/states.reviewers with the
        default options): active sysadmins and admins of ``odc``, with an
        address."""
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("""
                select email from "user" where state = 'active' and sysadmin
                union
                select u.email from "user" u join member m on m.table_id = u.id
                  join "group" g on g.id = m.group_id
                 where g.name = 'odc' and m.table_name = 'user' and m.capacity = 'admin'
                   and m.state = 'active' and u.state = 'active'""")
            return sorted({row[0] for row in cur.fetchall() if row[0]})

    def demo_names(self) -> list[str]:
        with open(os.path.join(ROOT, "ckanext", "learning", "data", "demo_resources.json")) as f:
            return [d["name"] for d in json.load(f)["datasets"]]

    def warm(self) -> None:
        session = requests.Session()
        for path in ["/", "/dataset/?q=forest", "/dataset/" + self.datasets[0],
                     "/api/3/action/package_search?q=forest"] * 4:
            r = session.get(self.portal.base + path, timeout=60)
            if r.status_code != 200:
                raise RuntimeError(f"warm-up: {path} answered {r.status_code}")

    def watch_scheduler(self) -> None:
        """Whether rq's scheduler (which runs the outbox's retries) holds
        its lock in the soak's Redis, every half second until cleanup."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.redis_port, db=1,
                             socket_timeout=1, socket_connect_timeout=1)
        while not self.cleanup.done:
            try:
                state = "running" if client.keys("rq:scheduler-lock:*") else "absent"
            except redis.RedisError:
                state = "redis-down"
            if not self.scheduler_states or self.scheduler_states[-1][1] != state:
                self.scheduler_states.append((now(), state))
            time.sleep(0.5)

    def scheduler_gaps(self, settle: float) -> list[dict[str, Any]]:
        """Spans with Redis up and no scheduler, from the load's start."""
        gaps = []
        states = self.scheduler_states + [(now(), "end")]
        for (t, state), (t_next, _) in zip(states, states[1:]):
            if state == "absent" and t_next > self.load_start:
                start = max(t, self.load_start)
                gaps.append({"from_s": round(start - self.load_start, 1),
                             "seconds": round(t_next - start, 1),
                             "began_during": next((d.name for d in self.drills
                                                   if d.start <= t < d.window_end + settle),
                                                  None)})
        return gaps

    # -------------------------------------------------------------- drills
    def drill_steps(self) -> dict[str, tuple[Any, Any]]:
        c, m, r, d = self.cluster, self.mail, self.redis, self.disk

        def kill_worker() -> str:
            pids = self.portal.worker_pids()
            if not pids:
                return "no worker to kill"
            victim = random.choice(pids)
            os.kill(victim, signal.SIGKILL)
            return f"SIGKILL to gunicorn worker {victim} of {pids}"

        def fill() -> str:
            return f"filled {d.fill() / 1e6:.1f} MB; {d.available()} bytes left"

        return {
            "postgres-stopped": (lambda: c.stop(), lambda: c.start()),
            "postgres-frozen": (lambda: (c.freeze(), f"SIGSTOP {len(c.frozen)} processes")[1],
                                lambda: c.thaw()),
            "redis-stopped": (lambda: r.stop(), lambda: r.start()),
            "smtp-refusing": (lambda: m.stop(), lambda: m.start()),
            "smtp-hung": (lambda: m.hang(), lambda: (m.unhang(), m.start())),
            "worker-killed": (kill_worker, None),
            "disk-full": (fill, lambda: d.free()),
        }

    def soak(self) -> None:
        a = self.args
        steps = self.drill_steps()
        names = [n for n in steps if n not in a.skip]
        self.warm_s, self.drill_s, self.gap_s = plan(a.seconds, names)
        load = self.load
        threads = [threading.Thread(target=reader, daemon=True, args=(
            i, self.portal.base, self.datasets, load, a.think, a.timeout))
            for i in range(a.readers)]
        users = [(CONTRIBUTOR, CONTRIBUTOR_ORG, self.contributor_token),
                 (WRITER2, WRITER2_ORG, self.writer2_token)]
        for i in range(a.writers):
            user, org, token = users[i % len(users)]
            w = Writer(i + 1, self.portal.base, self.run_id, user, org, token,
                       self.admin_token, load, a.write_pause, a.write_timeout)
            threads.append(threading.Thread(target=w.loop, daemon=True))
        self.load_start = now()
        log(f"{a.readers} readers, {a.writers} writers for {a.seconds:.0f}s; drills "
            f"{self.drill_s:.1f}s each, {self.gap_s:.1f}s apart after {self.warm_s:.1f}s")
        for t in threads:
            t.start()
        at = self.load_start + self.warm_s
        for name in names:
            begin, end = steps[name]
            time.sleep(max(0.0, at - now()))
            drill = Drill(name, start=now())
            drill.detail = str(begin() or "")
            log(f"drill {name}: {drill.detail}".rstrip(": "))
            if end is None:
                drill.end = now()
                time.sleep(max(0.0, at + self.drill_s - now()))
            else:
                time.sleep(max(0.0, at + self.drill_s - now()))
                end()
                drill.end = now()
            drill.window_end = max(now(), at + self.drill_s)
            self.drills.append(drill)
            log(f"drill {name} over")
            at += self.drill_s + self.gap_s
        time.sleep(max(0.0, self.load_start + a.seconds - now()))
        self.load_end = now()
        load.stop.set()
        log("load stopped; waiting for requests in flight")
        for t in threads:
            t.join(max(a.timeout, a.write_timeout) + 5)

    # -------------------------------------------------------------- verify
    def verify(self) -> dict[str, Any]:
        acked_at = self.expected_mails()
        expected = set(acked_at)
        self.worker_running_at_end = bool(self.portal.worker and self.portal.worker.poll() is None)
        log(f"waiting up to {self.args.mail_grace}s for {len(expected)} mails "
            "and the uploads' document jobs")
        waited = now()
        deadline = now() + self.args.mail_grace
        while now() < deadline:
            if not (expected | self.outbox()[0]) - set(self.received_keys()) \
                    and not self.documents_missing():
                break
            time.sleep(2)
        waited = now() - waited
        received = Counter(self.received_keys())
        first: dict[tuple[str, str, str], float] = {}
        for key, t in self.arrivals():
            first.setdefault(key, t)
        delays = [first[k] - t for k, t in acked_at.items() if k in first]
        queued, outbox = self.outbox()
        owed = expected | queued
        mails = {
            "expected": len(expected),
            "queued": len(queued) if outbox else None,
            "not_queued": len(expected - queued) if outbox else None,
            "received_matching": len(owed & set(received)),
            "lost": len(owed - set(received)),
            "lost_examples": sorted(owed - set(received))[:5],
            "duplicates": sum(n - 1 for n in received.values() if n > 1),
            "unexpected": sum(1 for k in received if k not in owed),
            "sink_total": len(self.mail.messages),
            "waited_after_load_s": round(waited, 1),
            "delay_s": {"p50": _round(percentile(delays, 50)),
                        "p95": _round(percentile(delays, 95)),
                        "max": _round(max(delays, default=None))},
            "api_mail_failed": sum(len(f["failed"]) for f in self.load.mail_failed),
            "api_mail_failed_names": sorted({n for f in self.load.mail_failed
                                             for n in f["failed"]}),
            "outbox": outbox,
        }
        log("checking acknowledged writes in the database, the index and on disk")
        database = self.check_database()
        database["uploads_not_read_by_the_document_job"] = self.documents_missing()
        database["job_queues"] = self.job_queues()
        index = self.check_index()
        check = run([CKAN, "-c", self.ini, "learning", "check"], check=False, timeout=600)
        return {"mails": mails, "database": database, "index": index,
                "learning_check": {"returncode": check.returncode,
                                   "tail": [line for line in (check.stdout + check.stderr)
                                    .strip().splitlines()
                                    if not re.match(r"\d{4}-\d\d-\d\d ", line)][-6:]}}

    def expected_mails(self) -> dict[tuple[str, str, str], float]:
        """(dataset, event, recipient) of every acknowledged transition, with
        when it was acknowledged."""
        contributor_email = {CONTRIBUTOR: "sokha@learning.example.org",
                             WRITER2: f"{WRITER2}@learning.example.org"}
        expected = {}
        for ack in self.load.acked:
            if ack["op"] == "submit":
                expected.update({(ack["name"], "submitted", e): ack["t"]
                                 for e in self.reviewer_emails})
            elif ack["op"] == "approve":
                expected[(ack["name"], "approved", contributor_email[ack["user"]])] = ack["t"]
        return expected

    def received_keys(self) -> list[tuple[str, str, str]]:
        return [key for key, _ in self.arrivals()]

    def arrivals(self) -> list[tuple[tuple[str, str, str], float]]:
        found = []
        with self.mail.lock:
            messages = list(self.mail.messages)
        for msg in messages:
            key = mail_key(msg["subject"], msg["body"])
            if key:
                found.extend(((*key, to), msg["t"]) for to in msg["to"])
        return found

    def job_queues(self) -> dict[str, Any]:
        """rq's queues at the end: jobs still waiting, and jobs failed."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.redis_port, db=1, socket_timeout=5)
        out = {}
        try:
            for key in client.keys("rq:queue:*"):
                name = key.decode().removeprefix("rq:queue:")
                out[name] = {"waiting": client.llen(key),
                             "failed": client.zcard(f"rq:failed:{name}")}
        except redis.RedisError as err:
            return {"error": repr(err)}
        return out

    def documents_missing(self) -> list[dict[str, Any]] | None:
        """Acknowledged uploads whose text the background job has not read,
        with the drill (if any) their upload was acknowledged in or after."""
        uploads = {a["resource_id"]: a for a in self.load.acked if a["op"] == "upload"}
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("select to_regclass('learning_document_text') is not null")
            if not cur.fetchone()[0]:
                return None
            cur.execute("select resource_id from learning_document_text "
                        "where resource_id = any(%s)", (list(uploads),))
            read = {r[0] for r in cur.fetchall()}
        return [{"name": a["name"], "acked_s": round(a["t"] - self.load_start, 1),
                 "near": next((d.name for d in self.drills
                               if d.start - 5 <= a["t"] < d.window_end + 5), None)}
                for rid, a in uploads.items() if rid not in read]

    def outbox(self) -> tuple[set[tuple[str, str, str]], dict[str, Any]]:
        """This run's rows of the portal's mail outbox, if it has one: the
        mails it queued, as keys, and how far their delivery got."""
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("select to_regclass('learning_mail_outbox') is not null")
            if not cur.fetchone()[0]:
                return set(), {}
            cur.execute("""select subject, body, address, attempts, sent is not null, last_error
                             from learning_mail_outbox
                            where subject like %s or body like %s""",
                        (f"%soak-{self.run_id}-%",) * 2)
            rows = cur.fetchall()
        keys = set()
        for subject, body, address, *_ in rows:
            key = mail_key(subject, body)
            if key:
                keys.add((*key, address))
        errors = Counter(str(r[5]).split(":")[0] for r in rows if r[5])
        return keys, {"rows": len(rows), "sent": sum(r[4] for r in rows),
                      "unsent": sum(not r[4] for r in rows),
                      "retried": sum(r[3] > 1 or (r[3] == 1 and not r[4]) for r in rows),
                      "max_attempts": max((r[3] for r in rows), default=0),
                      "last_errors": dict(errors.most_common(4))}

    def check_database(self) -> dict[str, Any]:
        acked = self.load.acked
        names = sorted({a["name"] for a in acked})
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("""select p.name, p.id, p.state, p.private, s.status from package p
                           left join learning_review_status s on s.package_id = p.id
                           where p.name = any(%s)""", (names,))
            packages = {r[0]: r[1:] for r in cur.fetchall()}
            cur.execute("select id, package_id, state, url_type from resource where id = any(%s)",
                        ([a["resource_id"] for a in acked if a["op"] == "upload"],))
            resources = {r[0]: r[1:] for r in cur.fetchall()}
        lost: list[str] = []
        files_checked = 0
        for a in acked:
            row = packages.get(a["name"])
            if row is None or row[0] != a["id"] or row[1] != "active":
                lost.append(f"{a['op']} {a['name']}: dataset {row}")
            elif a["op"] == "submit" and row[3] not in ("pending", "published"):
                lost.append(f"submit {a['name']}: status {row[3]}")
            elif a["op"] == "approve" and (row[3] != "published" or row[2]):
                lost.append(f"approve {a['name']}: status {row[3]}, private {row[2]}")
            elif a["op"] == "upload":
                res = resources.get(a["resource_id"])
                rid = a["resource_id"]
                path = os.path.join(self.storage, "resources", rid[:3], rid[3:6], rid[6:])
                files_checked += 1
                if res is None or res[0] != a["id"] or res[1] != "active":
                    lost.append(f"upload {a['name']}: resource {res}")
                elif not os.path.exists(path):
                    lost.append(f"upload {a['name']}: no file {path}")
                else:
                    with open(path, "rb") as f:
                        digest = hashlib.sha256(f.read()).hexdigest()
                    if digest != a["sha256"]:
                        lost.append(f"upload {a['name']}: file differs ({path})")
        by_op = Counter(a["op"] for a in acked)
        return {"acknowledged": dict(by_op), "lost": len(lost), "lost_examples": lost[:10],
                "files_checked": files_checked, **self.unacknowledged_but_saved()}

    def unacknowledged_but_saved(self) -> dict[str, Any]:
        """Writes answered with an error (or no answer) that were saved all
        the same: datasets never acknowledged, and a second file where the
        retry of a failed upload found the first one had gone through."""
        acked = {a["name"] for a in self.load.acked if a["op"] == "create"}
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("""select p.name, count(r.id) filter (where r.url_type = 'upload')
                             from package p left join resource r
                               on r.package_id = p.id and r.state = 'active'
                            where p.name like %s and p.state = 'active' group by p.name""",
                        (f"soak-{self.run_id}-%",))
            rows = cur.fetchall()
            cur.execute("""select p.name, r.id from resource r join package p on p.id = r.package_id
                            where p.name like %s and r.url_type = 'upload'
                              and r.state = 'active'""", (f"soak-{self.run_id}-%",))
            no_file = sorted(name for name, rid in cur.fetchall() if not os.path.exists(
                os.path.join(self.storage, "resources", rid[:3], rid[3:6], rid[6:])))
        doubled = sorted(name for name, uploads in rows if uploads > 1)
        return {"datasets_saved_unacknowledged": sorted(n for n, _ in rows if n not in acked),
                "datasets_with_extra_upload": doubled,
                "uploads_without_file": no_file,
                "retries_refused_as_done": list(self.load.repeats)}

    def check_index(self) -> dict[str, Any]:
        """Each acknowledged dataset found by package_search (as the
        sysadmin, private ones included) with the database's private flag;
        published ones found anonymously, unpublished ones not.  Retried a
        few times: the postings catch up in the background."""
        with self.cluster.connect(self.args.db) as conn, conn.cursor() as cur:
            cur.execute("select name, private from package where name = any(%s) "
                        "and state = 'active'",
                        (sorted({a["name"] for a in self.load.acked}),))
            private = dict(cur.fetchall())
        pending = set(private)
        problems: dict[str, str] = {}
        for attempt in range(4):
            problems = {}
            for name in sorted(pending):
                problem = self.index_problem(name, private[name])
                if problem:
                    problems[name] = problem
            pending = set(problems)
            if not pending:
                break
            time.sleep(10)
        return {"checked": len(private), "disagreements": len(problems),
                "examples": [f"{k}: {v}" for k, v in list(problems.items())[:10]]}

    def index_problem(self, name: str, private: bool) -> str | None:
        params = {"fq": f'name:"{name}"', "rows": 1}
        as_admin = self.api("package_search", self.admin_token, params=dict(
            params, include_private="true", include_drafts="true"))
        if not as_admin.get("success"):
            return f"search failed: {str(as_admin)[:200]}"
        results = as_admin["result"]["results"]
        if as_admin["result"]["count"] != 1 or not results:
            return f"sysadmin search found {as_admin['result']['count']}"
        if results[0].get("private") != private:
            return f"index private={results[0].get('private')}, database private={private}"
        anonymous = self.api("package_search", params=params)
        count = anonymous["result"]["count"] if anonymous.get("success") else None
        if count != (0 if private else 1):
            return f"anonymous search found {count} (private={private})"
        return None

    # -------------------------------------------------------------- report
    def window(self, start: float, end: float, role: str = "read") -> dict[str, Any]:
        # in flight at any moment of the window (a request begun just before
        # the fault and failed by it belongs to the drill)
        samples = [s for s in self.load.samples
                   if s.role == role and s.start < end and s.end >= start]
        p95 = percentile([s.end - s.start for s in samples if s.ok], 95)
        return {"requests": len(samples),
                "errors": dict(Counter(str(s.status) for s in samples
                                       if not s.ok and not s.repeat)),
                "repeats_refused": sum(s.repeat for s in samples),
                "p95_s": round(p95, 3) if p95 is not None else None}

    def after(self, d: Drill, settle: float, role: str) -> dict[str, Any]:
        """Errors of requests begun in the ``settle`` seconds after a drill."""
        return {"errors": dict(Counter(
            str(s.status) for s in self.load.samples if s.role == role and not s.ok
            and not s.repeat and d.window_end <= s.start < d.window_end + settle))}

    def quiet(self, s: Sample, settle: float) -> bool:
        if s.start < self.load_start:
            return False
        return all(not (s.start < d.window_end + settle and s.end >= d.start)
                   for d in self.drills)

    def recovery(self, drill: Drill, role: str) -> float | None:
        """From the fault's removal to the end of the first request begun
        after it that succeeded, before the next drill began (None: none)."""
        later = [d.start for d in self.drills if d.start > drill.start]
        limit = min(later) if later else float("inf")
        after = [s.end - drill.end for s in self.load.samples
                 if s.role == role and s.ok and s.start >= drill.end and s.end < limit]
        return round(min(after), 2) if after else None

    def report(self, verified: dict[str, Any]) -> dict[str, Any]:
        samples = self.load.samples
        settle = min(5.0, self.gap_s / 2)
        baseline = [s for s in samples if s.role == "read" and self.quiet(s, settle)]
        base_p95 = percentile([s.end - s.start for s in baseline if s.ok], 95)
        drills = []
        for d in self.drills:
            drills.append({
                "drill": d.name, "detail": d.detail,
                "start_s": round(d.start - self.load_start, 1),
                "fault_removed_s": round(d.end - self.load_start, 1),
                "readers": self.window(d.start, d.window_end),
                "writers": self.window(d.start, d.window_end, "write"),
                "after_readers": self.after(d, settle, "read"),
                "after_writers": self.after(d, settle, "write"),
                "recovery_read_s": self.recovery(d, "read"),
                "recovery_write_s": self.recovery(d, "write")})
        by_name = {d["drill"]: d for d in drills}
        pg = [by_name[n] for n in ("postgres-stopped", "postgres-frozen") if n in by_name]
        pg_errors: Counter = Counter()
        for d in pg:
            for part in ("readers", "writers"):
                pg_errors.update(d[part]["errors"])
        pg_drills = [d for d in self.drills if d.name.startswith("postgres-")]
        pg_slow = [s.end - s.start for s in samples
                   if any(s.start < d.end and s.end >= d.start for d in pg_drills)]
        smtp = [by_name[n] for n in ("smtp-refusing", "smtp-hung") if n in by_name]
        limit = max(1.5 * base_p95, base_p95 + 0.2) if base_p95 is not None else None
        smtp_ok = bool(smtp) and limit is not None and all(
            not d["readers"]["errors"] and d["readers"]["p95_s"] is not None
            and d["readers"]["p95_s"] <= limit for d in smtp)
        quiet_errors = Counter(str(s.status) for s in samples
                               if not s.ok and not s.repeat and self.quiet(s, settle))
        return {
            "run": {"seconds": self.args.seconds, "readers": self.args.readers,
                    "writers": self.args.writers, "warm_up_s": round(self.warm_s, 1),
                    "drill_s": round(self.drill_s, 1), "gap_s": round(self.gap_s, 1),
                    "settle_s": round(settle, 1), "portal": self.portal.base,
                    "folder": self.folder, **self.setup_notes},
            "requests": {"total": len(samples),
                         "reads": sum(s.role == "read" for s in samples),
                         "writes": sum(s.role == "write" for s in samples),
                         "errors_by_status": dict(Counter(
                             str(s.status) for s in samples if not s.ok and not s.repeat)),
                         "retries_refused_as_done": len(self.load.repeats),
                         "errors_outside_drills": dict(quiet_errors)},
            "readers_p95_s": {
                "overall": _round(percentile([s.end - s.start for s in samples
                                              if s.role == "read" and s.ok], 95)),
                "baseline": _round(base_p95),
                "by_kind": {k: _round(percentile([s.end - s.start for s in samples
                                                  if s.role == "read" and s.op == k and s.ok], 95))
                            for k in sorted({s.op for s in samples if s.role == "read"})}},
            "drills": drills,
            "background_worker": {
                "restarted_on_exit": not self.args.no_restart_worker,
                "running_at_end": self.worker_running_at_end,
                "exits": [{"at_s": round(t - self.load_start, 1), "code": code,
                           "during": next((d.name for d in self.drills
                                           if d.start <= t < d.window_end + settle), None)}
                          for t, code in self.portal.worker_exits],
                "scheduler_absent": self.scheduler_gaps(settle)},
            **verified,
            "writer_notes": dict(Counter(re.sub(r"^writer \d+: ", "", n)[:220]
                                         for n in self.load.notes).most_common(8)),
            "server_exceptions": self.server_exceptions(),
            "summary": {
                "lost_writes": verified["database"]["lost"],
                "index_disagreements": verified["index"]["disagreements"],
                "mails_lost": verified["mails"]["lost"],
                "only_503_while_postgres_down": bool(pg) and set(pg_errors) <= {"503"},
                "postgres_down_errors": dict(pg_errors),
                "postgres_down_requests": len(pg_slow),
                "postgres_down_slower_than_5s": sum(x > 5 for x in pg_slow),
                "postgres_down_max_latency_s": _round(max(pg_slow, default=None)),
                "readers_unaffected_by_smtp": smtp_ok,
                "smtp_reader_p95_limit_s": _round(limit),
                "max_recovery_read_s": _max(d["recovery_read_s"] for d in drills),
                "max_recovery_write_s": _max(d["recovery_write_s"] for d in drills),
            },
        }

    def server_exceptions(self) -> dict[str, int]:
        """The exceptions named in gunicorn's and the worker's logs."""
        found: Counter = Counter()
        for name in ("gunicorn.log", "worker.log"):
            path = os.path.join(self.folder, name)
            if not os.path.exists(path):
                continue
            with open(path, errors="replace") as f:
                for line in f:
                    m = re.match(r"^([\w.]+(?:Error|Exception|Exhausted|Refused|Full|"
                                 r"Disconnected|Timeout)\w*): ?(.{0,90})", line)
                    if m:
                        found[f"{name}: {m.group(1)}: {m.group(2)}"] += 1
        return dict(found.most_common(15))


def mail_key(subject: str, body: str) -> tuple[str, str] | None:
    """(dataset, event) a soak mail is about (notify.MESSAGES' subjects)."""
    found = re.search(r"soak-[0-9a-f]+-w\d+-\d+", subject + " " + body)
    if not found:
        return None
    event = ("submitted" if "To review" in subject else
             "approved" if "Published" in subject else subject[:30])
    return found.group(0), event


def _missing(found: list[dict[str, Any]] | None) -> str:
    if found is None:
        return "no document table"
    near = Counter(str(f["near"]) for f in found)
    return f"{len(found)}" + (f" (acknowledged in or within 5 s of: {dict(near)})" if found else "")


def _brief(errors: dict[str, int]) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(errors.items())) or "-"


def _round(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def _max(values: Any) -> float | None:
    values = [v for v in values if v is not None]
    return max(values) if values else None


def text_report(r: dict[str, Any]) -> str:
    s, req, m = r["summary"], r["requests"], r["mails"]
    lines = [
        "=" * 78,
        f"SOAK REPORT  {r['run']['seconds']:.0f}s, {r['run']['readers']} readers, "
        f"{r['run']['writers']} writers, portal {r['run']['portal']}",
        f"worker: ckan {r['run']['worker_command']}",
        f"requests: {req['total']} ({req['reads']} reads, {req['writes']} writes); "
        f"errors by status: {req['errors_by_status'] or 'none'} (plus "
        f"{req['retries_refused_as_done']} writer retries answered 409 because the "
        "earlier, unacknowledged try had gone through)",
        f"errors outside drills (and {r['run']['settle_s']}s after each): "
        f"{req['errors_outside_drills'] or 'none'}",
        f"readers p95: overall {r['readers_p95_s']['overall']}s, "
        f"baseline {r['readers_p95_s']['baseline']}s; by kind {r['readers_p95_s']['by_kind']}",
        "",
        f"{'drill':18} {'start':>6} {'reads':>6} {'p95 s':>7} {'read errors':28} "
        f"{'writes':>6} {'write errors':28} {'rec. read':>9} {'rec. write':>10}",
    ]
    for d in r["drills"]:
        lines.append(
            f"{d['drill']:18} {d['start_s']:6.1f} {d['readers']['requests']:6} "
            f"{str(d['readers']['p95_s']):>7} {_brief(d['readers']['errors']):28} "
            f"{d['writers']['requests']:6} {_brief(d['writers']['errors']):28} "
            f"{str(d['recovery_read_s']):>9} {str(d['recovery_write_s']):>10}")
        after = {k: v for k, v in (("reads", d["after_readers"]["errors"]),
                                   ("writes", d["after_writers"]["errors"])) if v}
        if after or d["detail"]:
            lines.append(f"{'':18} {d['detail']}" + (f"; errors just after: {after}"
                                                      if after else ""))
    db, ix, bw = r["database"], r["index"], r["background_worker"]
    lines += [
        "",
        f"background worker: {len(bw['exits'])} exits "
        + (" ".join(f"[{e['at_s']}s code {e['code']} during {e['during']}]" for e in bw["exits"]))
        + ("; restarted by the soak (as restart: unless-stopped)" if bw["restarted_on_exit"]
           else "; not restarted") + f"; running at the end: {bw['running_at_end']}",
        "rq scheduler (runs the outbox's retries) absent with Redis up: "
        + (", ".join(f"{g['seconds']}s from {g['from_s']}s (began during {g['began_during']})"
                     for g in bw["scheduler_absent"]) or "never"),
        "",
        f"acknowledged writes: {db['acknowledged']}; uploaded files checked: {db['files_checked']}",
        f"lost writes: {db['lost']} {db['lost_examples'] or ''}",
        f"failed answers for writes that were saved: {len(db['datasets_saved_unacknowledged'])} "
        f"datasets never acknowledged {db['datasets_saved_unacknowledged'][:3]}, "
        f"{len(db['datasets_with_extra_upload'])} with a second upload from a retry "
        f"{db['datasets_with_extra_upload'][:3]}, {len(db['retries_refused_as_done'])} "
        f"retries refused as already done {db['retries_refused_as_done'][:3]}",
        "acknowledged uploads whose document text was never read: "
        + _missing(db["uploads_not_read_by_the_document_job"])
        + f"; rq queues at the end: {db['job_queues']}",
        f"uploaded resources (acknowledged or not) without their file: "
        f"{len(db['uploads_without_file'])} {db['uploads_without_file'][:3]}",
        f"index: {ix['checked']} datasets checked, {ix['disagreements']} disagreements "
        f"{ix['examples'] or ''}",
        f"ckan learning check: exit {r['learning_check']['returncode']}; "
        + " | ".join(r["learning_check"]["tail"][-3:]),
        f"mails: expected {m['expected']} (from the acknowledged transitions), queued in the "
        f"outbox {m['queued']} (expected but not queued: {m['not_queued']}), received {m['received_matching']}, lost {m['lost']}, "
        f"duplicates {m['duplicates']}, unexpected {m['unexpected']}, at sink {m['sink_total']}",
        f"  delay from the acknowledged transition to arrival at the sink: p50 "
        f"{m['delay_s']['p50']}s, p95 {m['delay_s']['p95']}s, max {m['delay_s']['max']}s "
        f"(waited {m['waited_after_load_s']}s after the load)",
        f"  named in the API's mail_failed (recipients without an address): "
        f"{m['api_mail_failed']} {m['api_mail_failed_names']}; outbox rows of this run: "
        f"{m['outbox'] or 'no outbox table'}",
    ]
    if m["lost_examples"]:
        lines.append(f"  lost mails e.g. {m['lost_examples'][:3]}")
    if r["writer_notes"]:
        lines.append("writers' refused requests (not retried):")
        lines += [f"  {n:5} {k}" for k, n in r["writer_notes"].items()]
    if r["server_exceptions"]:
        lines.append("exceptions in the server logs:")
        lines += [f"  {n:5} {k}" for k, n in r["server_exceptions"].items()]
    lines += [
        "",
        "SUMMARY",
        f"  {s['lost_writes']} lost writes, {s['index_disagreements']} index disagreements, "
        f"{s['mails_lost']} mails lost",
        f"  only 503s while PostgreSQL is down: {'yes' if s['only_503_while_postgres_down'] else 'NO'}"
        f" (errors then: {s['postgres_down_errors'] or 'none'})",
        f"  answered within 5 s while PostgreSQL is down or frozen: "
        f"{'yes' if not s['postgres_down_slower_than_5s'] else 'NO'} "
        f"({s['postgres_down_slower_than_5s']} of {s['postgres_down_requests']} requests slower;"
        f" slowest {s['postgres_down_max_latency_s']}s)",
        f"  readers unaffected by SMTP: {'yes' if s['readers_unaffected_by_smtp'] else 'NO'}"
        f" (no reader errors and p95 <= {s['smtp_reader_p95_limit_s']}s in both SMTP drills)",
        f"  slowest recovery: read {s['max_recovery_read_s']}s, write {s['max_recovery_write_s']}s",
        f"report: {r['run']['folder']}/report.json",
        "=" * 78,
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=300, help="length of the load")
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--think", type=float, default=2.0,
                    help="mean pause of a reader between requests (s)")
    ap.add_argument("--write-pause", type=float, default=0.2)
    ap.add_argument("--timeout", type=float, default=30, help="readers' request timeout")
    ap.add_argument("--write-timeout", type=float, default=90)
    ap.add_argument("--mail-grace", type=float, default=120,
                    help="seconds to wait for mails after the load")
    ap.add_argument("--port", type=int, default=5080)
    ap.add_argument("--pg-port", type=int, default=5440)
    ap.add_argument("--redis-port", type=int, default=6390)
    ap.add_argument("--smtp-port", type=int, default=8025)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--tmpfs-mb", type=int, default=64)
    ap.add_argument("--db", default="ckan_soak")
    ap.add_argument("--scratch", default="/tmp/ckan-learning-soak")
    ap.add_argument("--keep-db", action="store_true",
                    help="reuse the database (its old uploads are gone with the tmpfs)")
    ap.add_argument("--drop-cluster", action="store_true",
                    help="drop the soak cluster at the end")
    ap.add_argument("--no-restart-worker", action="store_true",
                    help="leave the background worker dead if it exits")
    ap.add_argument("--skip", action="append", default=[], metavar="DRILL",
                    help="leave a drill out (repeatable)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the soak mounts a tmpfs and drives its own cluster")
    soak = Soak(args)
    atexit.register(soak.cleanup.run)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        soak.setup()
        soak.soak()
        verified = soak.verify()
        result = soak.report(verified)
    finally:
        log("cleaning up")
        soak.cleanup.run()
    with open(os.path.join(soak.folder, "report.json"), "w") as f:
        json.dump({**result, "acked": soak.load.acked,
                   "samples": [asdict(s) for s in soak.load.samples],
                   "drill_times": [asdict(d) for d in soak.drills]}, f, ensure_ascii=False)
    shutil.copy(soak.ini, os.path.join(soak.folder, "ckan.ini"))
    print(text_report(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
