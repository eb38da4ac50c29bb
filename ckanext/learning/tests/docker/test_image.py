"""The CKAN image of docker/ without an engine.

- It installs exactly what ``make run`` installs: one ``pip install`` line,
  the Makefile's, on requirements.txt (the one source of pins).
- Its start-up path works: the image's tree is laid out in a temporary
  directory as the Dockerfile lays it out (its COPY steps, its own build
  script), owned as in the image, and its entrypoint runs as an unprivileged
  user against the test database and a fake Solr, up to gunicorn answering
  ``status_show`` to the image's own health check.
"""
from __future__ import annotations

import configparser
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import urllib.request
import uuid

import pytest
import redis
import rq
from ckan.common import config as ckan_global_config

from ckanext.learning.tests.docker import DOCKER, ROOT
from ckanext.learning.tests.docker.solr_fake import FakeSolr
from ckanext.learning.tests.docker.solr_schema import build_schema
from ckanext.learning.tests.docker.stack import (
    VENV_BIN,
    as_user,
    compose_config,
    dockerfile_instructions,
    free_port,
    python_for,
    running,
    unprivileged_user,
    world_readable_tmpdir,
)

DOCKERFILE = os.path.join(DOCKER, "ckan", "Dockerfile")
HEALTHCHECK = os.path.join(DOCKER, "ckan", "setup", "healthcheck.py")
TEST_REDIS = "redis://127.0.0.1:6379/9"


def _dockerignored() -> list[str]:
    """File patterns the build context leaves out (Dockerfile.dockerignore)."""
    with open(DOCKERFILE + ".dockerignore") as f:
        return [os.path.basename(line.strip()) for line in f
                if line.strip() and not line.startswith("#")]


DOCKERIGNORED = _dockerignored()


def pip_installs(command: str) -> list[list[str]]:
    """The arguments of each ``pip install`` in a shell command line."""
    found = []
    for part in re.split(r"&&|;|\|\|", command):
        words = shlex.split(part)
        for i in range(len(words) - 1):
            if words[i] == "pip" and words[i + 1] == "install":
                found.append(words[i + 2:])
    return found


def makefile_pip_installs() -> list[list[str]]:
    with open(os.path.join(ROOT, "Makefile")) as f:
        lines = [line.strip() for line in f if "-m pip install" in line]
    return [a for line in lines for a in pip_installs(line.replace("$(PY) -m ", ""))]


def without_quiet(args: list[str]) -> list[str]:
    return [a for a in args if a not in ("-q", "--quiet")]


def test_image_installs_exactly_what_make_installs():
    runs = [a for k, a in dockerfile_instructions(DOCKERFILE) if k == "RUN"]
    installs = [without_quiet(i) for run in runs
                for i in pip_installs(run.replace("python -m ", ""))]
    assert installs == [without_quiet(i) for i in makefile_pip_installs()]
    assert ["-r", "requirements.txt", "-e", "."] in installs
    copies = [a.split() for k, a in dockerfile_instructions(DOCKERFILE) if k == "COPY"]
    assert any("requirements.txt" in c[:-1] for c in copies)
    # what the image runs is pinned there too, not installed beside it
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        pins = dict(re.findall(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)$", f.read(), re.M))
    assert "gunicorn" in pins and "ckanext-harvest" in pins
    assert not any("==" in " ".join(i) for i in installs)


# -- the image's tree, laid out as the Dockerfile lays it out


class ImageTree:
    """The Dockerfile's steps replayed under ``root``: ENV (absolute paths
    moved under ``root``), WORKDIR, COPY from the repository, RUN of the
    image's own build script.  RUN steps that install system or Python
    packages are this machine's (its apt packages, the venv of
    requirements.txt); creating users is :func:`unprivileged_user`'s."""

    KNOWN_RUNS = {"apt-get": "system packages", "useradd": "users",
                  "pip install": "the venv (test_image_installs_exactly_what_make_installs)"}

    def __init__(self, root: str, user, sys_user) -> None:
        self.root = root
        self.env: dict[str, str] = {}
        self.workdir = root
        self.user_line = ""
        self.entrypoint: list[str] = []
        self.cmd: list[str] = []
        self.build_env = {"CKAN_USER": user.pw_name, "CKAN_SYS_USER": sys_user.pw_name}
        for keyword, args in dockerfile_instructions(DOCKERFILE):
            getattr(self, f"_{keyword.lower()}", self._unknown(keyword))(args)

    def path(self, image_path: str) -> str:
        if image_path.startswith("/"):
            return os.path.join(self.root, image_path.lstrip("/"))
        return os.path.join(self.workdir, image_path)

    def _unknown(self, keyword):
        def fail(args):
            pytest.fail(f"test_image.py cannot lay out {keyword} {args}: teach it")
        return fail

    def _from(self, args): pass

    def _expose(self, args): pass

    def _env(self, args):
        for item in shlex.split(args):
            key, _, value = item.partition("=")
            self.env[key] = self.path(value) if value.startswith("/") else value
        self.env.update(self.build_env)

    def _workdir(self, args):
        self.workdir = self.path(args)
        os.makedirs(self.workdir, exist_ok=True)

    def _copy(self, args):
        *sources, dest = [w for w in args.split() if not w.startswith("--")]
        target = self.path(dest)
        for source in sources:
            src = os.path.join(ROOT, source)
            if os.path.isdir(src):  # Docker copies a directory's contents
                shutil.copytree(src, target, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(*DOCKERIGNORED))
            else:
                into = os.path.join(target, os.path.basename(source)) if dest.endswith(
                    "/") else target
                os.makedirs(os.path.dirname(into), exist_ok=True)
                shutil.copy2(src, into)

    def _run(self, args):
        if any(marker in args for marker in self.KNOWN_RUNS):
            return
        script = shlex.split(args)
        assert script == ["./setup/prepare-app.sh"], f"unknown build step: RUN {args}"
        env = {**os.environ, **self.env, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
        out = subprocess.run(script, cwd=self.workdir, env=env, capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stdout + out.stderr

    def _user(self, args):
        self.user_line = args

    def _entrypoint(self, args):
        self.entrypoint = [self.path(p) for p in json.loads(args)]

    def _cmd(self, args):
        self.cmd = json.loads(args)


@pytest.fixture(scope="module")
def solr(tmp_path_factory):
    with open(build_schema(str(tmp_path_factory.mktemp("solr"))), "rb") as f:
        with FakeSolr(f.read()) as fake:
            yield fake


@pytest.fixture(scope="module")
def image():
    user = unprivileged_user()
    sys_user = pwd.getpwuid(0) if os.getuid() == 0 else user
    with world_readable_tmpdir("learning-image-") as root:
        tree = ImageTree(root, user, sys_user)
        tree.bin = python_for(user, root)
        yield tree, user, sys_user


def ckan_environment(solr_url: str, site_url: str) -> dict[str, str]:
    """The ckan service's environment (docker-compose.yml with .env.example),
    the addresses of this machine's servers and a real secret put in."""
    env = dict(compose_config()["services"]["ckan"]["environment"])
    env.update({
        "CKAN_SQLALCHEMY_URL": ckan_global_config["sqlalchemy.url"],
        "CKAN_REDIS_URL": TEST_REDIS,
        "CKAN_SOLR_URL": solr_url,
        "CKAN_SITE_URL": site_url,
        "CKAN_SECRET_KEY": secrets.token_hex(32),
        "CKAN_DB_WAIT": "10",
    })
    return env


def served_on(env: dict[str, str], port: int) -> dict[str, str]:
    """bin/serve's settings of the compose file on this machine's port, one
    worker (two cores shared by several engineers)."""
    return {**env, "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "1"}


def test_layout_is_owned_as_in_the_image(image):
    tree, user, sys_user = image
    assert tree.user_line == "ckan", "the image runs as the ckan user"
    ini = tree.env["CKAN_INI"]
    assert os.stat(ini).st_uid == user.pw_uid and os.stat(ini).st_mode & 0o077 == 0
    assert os.stat(tree.env["CKAN_STORAGE_PATH"]).st_uid == user.pw_uid
    app = tree.env["APP_DIR"]
    for path in (app, os.path.join(app, "bin", "wsgi.py"), os.path.join(app, "ckanext"),
                 os.path.join(app, "gunicorn.conf.py"), os.path.join(app, "docker-entrypoint.sh")):
        assert os.stat(path).st_uid == sys_user.pw_uid, path
        assert os.stat(path).st_mode & 0o022 == 0, path
    with open(ini) as f:
        assert re.search(r"^SECRET_KEY\s*=\s*$", f.read(), re.M), "no secret baked in"
    catalog = os.path.join(app, "ckanext/learning/i18n/km/LC_MESSAGES/ckanext-learning.mo")
    assert os.path.exists(catalog), "the Khmer catalogue is compiled in the image"


def test_entrypoint_refuses_the_example_secret(image):
    tree, user, _ = image
    env = {**os.environ, **tree.env, **ckan_environment("http://x", "http://x"),
           "CKAN_SECRET_KEY": "change-me", "PATH": f"{tree.bin}:{os.environ['PATH']}"}
    out = subprocess.run(as_user(user, [*tree.entrypoint, "true"]), env=env,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "CKAN_SECRET_KEY" in out.stderr


def test_entrypoint_starts_ckan_as_the_unprivileged_user(image, solr):
    tree, user, _ = image
    port = free_port()
    env = {**tree.env, **ckan_environment(solr.url, f"http://127.0.0.1:{port}"),
           "HOME": tree.env["APP_DIR"], "PYTHONDONTWRITEBYTECODE": "1",
           "PATH": f"{tree.bin}:/usr/local/bin:/usr/bin:/bin"}
    env = served_on(env, port)
    assert env["CKAN_MIGRATE"] == "true"
    status_url = f"http://127.0.0.1:{port}/api/action/status_show"
    with running(as_user(user, [*tree.entrypoint, *tree.cmd]),
                 os.path.join(tree.root, "ckan.log"),
                 env=env, cwd=tree.env["APP_DIR"]) as ckan:
        ckan.wait_for_url(status_url, timeout=55)
        check = subprocess.run([sys.executable, HEALTHCHECK, "web", status_url],
                               capture_output=True, text=True, timeout=15)
        assert check.returncode == 0, check.stderr
        with urllib.request.urlopen(status_url, timeout=10) as response:
            status = json.load(response)["result"]
        with open(f"/proc/{ckan.process.pid}/status") as f:
            uid = re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1)
        log = ckan.log()
    assert status["ckan_version"] == "2.12.0"
    assert {"learning", "learning_search", "learning_fluent"} <= set(status["extensions"])
    assert int(uid) == user.pw_uid, "gunicorn runs as the unprivileged user"
    assert "Theme groups:" in log, "ckan learning init ran"
    # gunicorn.conf.py was read: its access log survives CKAN's logging set-up
    assert "GET /api/action/status_show" in log
    assert solr.schema_requests >= 1, "CKAN checked the shipped Solr schema"
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(tree.env["CKAN_INI"])
    main = ini["app:main"]
    assert main["SECRET_KEY"] == env["CKAN_SECRET_KEY"]
    assert main["ckanext.learning.search.backend"] == "solr"
    assert main["ckanext.learning.upload.max_size_mb"] == env["CKAN_MAX_UPLOAD_SIZE_MB"]
    assert main["ckan.storage_path"] == tree.env["CKAN_STORAGE_PATH"]


def test_worker_and_redis_health_checks():
    connection = redis.Redis.from_url(TEST_REDIS)
    env = {**os.environ, "CKAN_REDIS_URL": TEST_REDIS}

    def check() -> int:
        return subprocess.run([sys.executable, HEALTHCHECK, "worker"], env=env,
                              capture_output=True, timeout=15).returncode

    assert check() == 1
    redis_check = [sys.executable, HEALTHCHECK, "redis"]
    assert subprocess.run(redis_check, env=env, timeout=15).returncode == 0
    dead = {**env, "CKAN_REDIS_URL": f"redis://127.0.0.1:{free_port()}/9"}
    assert subprocess.run(redis_check, env=dead, capture_output=True,
                          timeout=15).returncode == 1
    worker = rq.Worker([rq.Queue(f"learning-test-{uuid.uuid4().hex}",
                                 connection=connection)], connection=connection)
    worker.register_birth()
    try:
        assert check() == 0
    finally:
        worker.register_death()
    assert check() == 1


def test_database_image_creates_ckans_own_role_and_database():
    """docker/postgresql's first-start script, run as the postgres image runs
    it (psql as the superuser), here against this machine's PostgreSQL."""
    script = os.path.join(DOCKER, "postgresql", "docker-entrypoint-initdb.d",
                          "10_create_ckandb.sh")
    name = f"learning_docker_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PGHOST": "127.0.0.1", "POSTGRES_USER": "postgres",
           "POSTGRES_DB": "postgres", "CKAN_DB_USER": name,
           "CKAN_DB_PASSWORD": "it's a \"quoted\" secret", "CKAN_DB": name}

    def psql(sql: str) -> str:
        return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres",
                               "-tAc", sql], capture_output=True, text=True, check=True,
                              timeout=30).stdout.strip()

    try:
        out = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert psql(f"select rolsuper, rolcreatedb, rolcanlogin from pg_roles "
                    f"where rolname = '{name}'") == "f|f|t"
        assert psql(f"select pg_get_userbyid(datdba) from pg_database "
                    f"where datname = '{name}'") == name
        login = subprocess.run(
            ["psql", f"postgresql://{name}@127.0.0.1/{name}", "-tAc", "select current_user"],
            env={**os.environ, "PGPASSWORD": env["CKAN_DB_PASSWORD"]},
            capture_output=True, text=True, timeout=30)
        assert login.stdout.strip() == name, login.stderr
    finally:
        psql(f'drop database if exists "{name}"')
        psql(f'drop role if exists "{name}"')
