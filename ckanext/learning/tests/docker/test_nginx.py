"""docker/nginx for real: Debian's nginx runs the server template docker/
ships, rendered the way the nginx image renders it (its envsubst step, on
the variables of the Dockerfile and docker-compose.yml; only this machine's
ports, paths and upstream address differ), with a certificate made by the
image's own start-up script, in front of CKAN served by gunicorn with the
compose file's options, all on loopback ports.

Proved: pages, files and nginx's own errors carry one of each security
header and no version in ``Server``; compiled assets and uploaded images are
served from disk with long cache headers, CKAN's static files from nginx's
cache, gzipped; a resource upload goes through and its download keeps
CKAN's per-user caching; a body one byte over the upload limit gets 413 from
nginx (one at the limit reaches CKAN); the client's X-Forwarded-* headers are
replaced, and absolute URLs are the public ones.
"""
from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import shutil
import ssl
import subprocess
import time
import uuid
import zlib
from dataclasses import dataclass

import pytest
import requests
from ckan.tests import factories, helpers

from ckanext.learning.library.demo import demo_pdf
from ckanext.learning.tests.docker import DOCKER, ROOT
from ckanext.learning.tests.docker.stack import (
    VENV_BIN,
    Server,
    compose_config,
    dockerfile_env,
    free_port,
    unprivileged_user,
    world_readable_tmpdir,
)
from ckanext.learning.tests.resources import learning_resource

NGINX_DIR = os.path.join(DOCKER, "nginx")
TEMPLATE = os.path.join(NGINX_DIR, "templates", "default.conf.template")
CERT_SCRIPT = os.path.join(NGINX_DIR, "docker-entrypoint.d", "40-learning-certificate.sh")
GUNICORN_CONF = os.path.join(DOCKER, "ckan", "gunicorn.conf.py")
#: Small, so that the over-the-limit body is cheap to send.
LIMIT_MB = 1
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                    "X-Frame-Options", "Strict-Transport-Security")
#: A 1x1 PNG, the uploaded group image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def find_nginx() -> str:
    nginx = shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/bin")
    if not nginx:
        subprocess.run([os.path.join(ROOT, "bin", "ensure-nginx")], check=True, timeout=600)
        nginx = shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/bin")
    assert nginx, "bin/ensure-nginx installs Debian's nginx"
    return nginx


def render_template(env: dict[str, str]) -> str:
    """The nginx image's 20-envsubst-on-templates.sh, on ``env``: envsubst
    given the names of the variables NGINX_ENVSUBST_FILTER lets through."""
    names = [n for n in env if re.search(env.get("NGINX_ENVSUBST_FILTER", ""), n)]
    with open(TEMPLATE) as f:
        out = subprocess.run(["envsubst", " ".join(f"${{{n}}}" for n in names)], stdin=f,
                             env=env, capture_output=True, text=True, check=True, timeout=30)
    return out.stdout


#: The image's /etc/nginx/nginx.conf (the nginx package's), with this
#: machine's paths: conf.d is included inside http {}, as there.
MAIN_CONF = """\
user {user};
worker_processes 1;
error_log {tmp}/error.log notice;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/conf.d/*.conf;
}}
"""


@dataclass
class Stack:
    site_url: str
    http_url: str
    upstream_url: str
    storage: str
    nginx: Server
    gunicorn: Server
    gunicorn_log: str
    rendered: str
    token: str
    org: dict
    session: requests.Session

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.site_url + path, allow_redirects=False, timeout=60,
                                **kwargs)

    def api(self, action: str, files=None, **data) -> dict:
        response = self.session.post(
            f"{self.site_url}/api/3/action/{action}", timeout=60,
            headers={"Authorization": self.token},
            **({"data": data, "files": files} if files else {"json": data}))
        assert response.status_code == 200, response.text
        return response.json()["result"]

    def upstream_requests(self) -> list[dict]:
        """What gunicorn received (its access log, one JSON line each), up to
        a marker request sent now, once that is logged: none is still on its
        way to the log."""
        marker = f"/learning-test-marker-{uuid.uuid4().hex}"
        requests.get(self.upstream_url + marker, timeout=30)
        deadline = time.monotonic() + 15
        while True:
            with open(self.gunicorn_log, errors="replace") as f:
                logged = [json.loads(line) for line in f if line.startswith('{"path"')]
            if any(r["path"] == marker for r in logged) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return [r for r in logged if not r["path"].startswith("/learning-test-marker-")]


#: What gunicorn's access log says of each request: the headers nginx
#: passed on (gunicorn's %({header}i)s atoms), one JSON object a line.
ACCESS_LOG_FORMAT = json.dumps({
    "path": "%(U)s", "status": "%(s)s", "host": "%({host}i)s",
    "x_forwarded_for": "%({x-forwarded-for}i)s",
    "x_forwarded_proto": "%({x-forwarded-proto}i)s",
    "x_forwarded_host": "%({x-forwarded-host}i)s"})


def serve_environment(port: int, ini: str) -> dict[str, str]:
    """CKAN served as the image serves it: bin/serve (as `make run`) with the
    compose file's settings and the image's gunicorn.conf.py, on this
    machine's port with one worker; the access log shows the headers."""
    settings = compose_config()["services"]["ckan"]["environment"]
    return {**os.environ, "CKAN_INI": ini, "HOST": "127.0.0.1", "PORT": str(port),
            "WORKERS": "1", "THREADS": settings["THREADS"],
            "GUNICORN": os.path.join(VENV_BIN, "gunicorn"),
            "GUNICORN_CMD_ARGS": f"--config {GUNICORN_CONF} "
                                 f"--access-logformat '{ACCESS_LOG_FORMAT}'"}


@pytest.fixture(scope="module")
def stack(reset_db):
    nginx_bin = find_nginx()
    user = unprivileged_user()
    with world_readable_tmpdir("learning-nginx-") as tmp:
        upstream, http_port, https_port = free_port(), free_port(), free_port()
        site_url = f"https://127.0.0.1:{https_port}"
        storage = os.path.join(tmp, "storage")
        os.makedirs(storage)

        # CKAN: the test configuration, served at the public address
        ini = os.path.join(tmp, "ckan.ini")
        test_ini = os.path.join(ROOT, "test.ini")
        with open(test_ini) as f:
            logging_sections = f.read().split("\n[loggers]", 1)[1]
        with open(ini, "w") as f:
            f.write(f"[app:main]\nuse = config:{test_ini}\n"
                    f"ckan.site_url = {site_url}\nckan.storage_path = {storage}\n"
                    f"ckanext.learning.upload.max_size_mb = {LIMIT_MB}\n"
                    "ckanext.learning.security.proxy_hops = 1\n"
                    f"\n[loggers]{logging_sections}")
        reset_db()
        admin = factories.Sysadmin()
        token = helpers.call_action("api_token_create", context={"user": admin["name"]},
                                    user=admin["name"], name="nginx-test")["token"]
        org = factories.Organization()
        gunicorn_log = os.path.join(tmp, "gunicorn.log")
        gunicorn = Server([os.path.join(ROOT, "bin", "serve"), os.path.relpath(ini, ROOT)],
                          gunicorn_log, env={**serve_environment(upstream, ini),
                                             "CKAN_MAX_UPLOAD_SIZE_MB": str(LIMIT_MB),
                                             "CKAN_SITE_URL": site_url})

        # nginx: the image's variables, then compose's, then this machine's
        env = dockerfile_env(os.path.join(NGINX_DIR, "Dockerfile"))
        env.update(compose_config()["services"]["nginx"]["environment"])
        env.update({
            "CKAN_SITE_URL": site_url, "CKAN_MAX_UPLOAD_SIZE_MB": str(LIMIT_MB),
            "CKAN_UPSTREAM": f"127.0.0.1:{upstream}", "CKAN_STORAGE_PATH": storage,
            "NGINX_PORT": str(http_port), "NGINX_SSLPORT": str(https_port),
            "NGINX_SSL_CERTIFICATE": os.path.join(tmp, "certs", "ckan.crt"),
            "NGINX_SSL_CERTIFICATE_KEY": os.path.join(tmp, "certs", "ckan.key"),
            "NGINX_CACHE_PATH": os.path.join(tmp, "cache"),
        })
        env["PATH"] = os.environ["PATH"]
        subprocess.run([CERT_SCRIPT], env=env, check=True, capture_output=True, timeout=60)
        rendered = render_template(env)
        os.makedirs(os.path.join(tmp, "conf.d"))
        with open(os.path.join(tmp, "conf.d", "default.conf"), "w") as f:
            f.write(rendered)
        main_conf = os.path.join(tmp, "nginx.conf")
        with open(main_conf, "w") as f:
            f.write(MAIN_CONF.format(user=user.pw_name, tmp=tmp))
        check = subprocess.run([nginx_bin, "-t", "-c", main_conf, "-p", tmp],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        nginx = Server([nginx_bin, "-c", main_conf, "-p", tmp, "-g", "daemon off;"],
                       os.path.join(tmp, "nginx.log"))
        session = requests.Session()
        session.trust_env = False  # loopback: no proxy, and no CA bundle but ours
        session.verify = env["NGINX_SSL_CERTIFICATE"]
        try:
            context = ssl.create_default_context(cafile=session.verify)
            gunicorn.wait_for_url(f"http://127.0.0.1:{upstream}/api/action/status_show", 55)
            nginx.wait_for_url(f"{site_url}/nginx-health", 15, context=context)
            yield Stack(site_url=site_url, http_url=f"http://127.0.0.1:{http_port}",
                        upstream_url=f"http://127.0.0.1:{upstream}",
                        storage=storage, nginx=nginx, gunicorn=gunicorn,
                        gunicorn_log=gunicorn_log, rendered=rendered, token=token, org=org,
                        session=session)
        finally:
            nginx.stop()
            gunicorn.stop()


def one_of_each_security_header(response: requests.Response) -> None:
    for name in SECURITY_HEADERS:
        values = response.raw.headers.getlist(name)
        assert len(values) == 1, f"{response.url}: {name}: {values}"
    csp = response.headers["Content-Security-Policy"]
    directives = dict((d.split()[0], d.split()[1:]) for d in csp.split(";") if d.strip())
    assert directives["frame-ancestors"] == ["'none'"]
    sources = {s for values in directives.values() for s in values}
    hosts = {s for s in sources if not s.startswith("'") and s not in ("data:", "blob:")}
    assert not hosts, f"outside hosts in {csp}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin",
                                                   "no-referrer")
    assert response.headers["Server"] == "nginx", "no version in Server"


def test_the_shipped_template_renders_completely(stack):
    assert "${" not in stack.rendered
    assert f"client_max_body_size {LIMIT_MB}m;" in stack.rendered


def test_pages_and_nginx_errors_carry_the_security_headers(stack):
    page = stack.get("/dataset/")
    assert page.status_code in (200, 308)
    one_of_each_security_header(page)
    one_of_each_security_header(stack.get("/no-such-page"))
    one_of_each_security_header(stack.get("/nginx-health"))


def test_compiled_assets_come_from_disk_cached_and_gzipped(stack):
    home = stack.get("/")
    assert home.status_code == 200
    assets = re.findall(r'(?:href|src)="(/webassets/[^"]+\.(?:css|js))"', home.text)
    assert assets, "the home page links CKAN's compiled assets"
    before = len(stack.upstream_requests())
    for path in assets:
        response = stack.get(path, headers={"Accept-Encoding": "gzip"}, stream=True)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers.get("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in response.headers.get("Vary", "")
        raw = response.raw.read()
        assert zlib.decompress(raw, 16 + zlib.MAX_WBITS)  # really gzip
        one_of_each_security_header(response)
    served_by_ckan = [r["path"] for r in stack.upstream_requests()[before:]]
    assert not [p for p in served_by_ckan if p.startswith("/webassets/")], served_by_ckan
    # one policy: nginx's for its files is the one CKAN gives its pages
    assert response.headers["Content-Security-Policy"] == home.headers[
        "Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == home.headers["Referrer-Policy"]


def test_ckans_static_files_are_cached_by_nginx(stack):
    for path in ("/base/images/ckan.ico", "/learning/themes/education.svg"):
        first, second = stack.get(path), stack.get(path)
        assert first.status_code == second.status_code == 200, path
        assert first.headers["X-Cache-Status"] == "MISS"
        assert second.headers["X-Cache-Status"] == "HIT"
        assert second.headers["Cache-Control"] == "public, max-age=86400"
        assert first.content == second.content
        one_of_each_security_header(second)
        reached = [r for r in stack.upstream_requests() if r["path"] == path]
        assert len(reached) == 1, f"{path} reached CKAN {len(reached)} times"


def test_an_uploaded_image_is_served_from_disk_with_cache_headers(stack):
    group = stack.api("organization_create", name=f"org-{uuid.uuid4().hex[:8]}",
                      title_translated=json.dumps({"en": "Logo test", "km": "សាកល្បង"}),
                      files={"image_upload": ("logo.png", io.BytesIO(PNG), "image/png")})
    url = group["image_display_url"]
    assert url.startswith(f"{stack.site_url}/uploads/group/"), url
    path = url[len(stack.site_url):]
    before = len(stack.upstream_requests())
    response = stack.get(path)
    assert response.status_code == 200 and response.content == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    one_of_each_security_header(response)
    assert [r["path"] for r in stack.upstream_requests()[before:]] == []


def test_a_resource_upload_goes_through_and_keeps_ckans_caching(stack):
    dataset = stack.api("package_create", **learning_resource(
        stack.org, f"nginx-{uuid.uuid4().hex[:8]}"))
    pdf = demo_pdf("Nginx upload", "Through the proxy.", "ODC")
    resource = stack.api("resource_create", package_id=dataset["id"], url="guide.pdf",
                         format="PDF", files={"upload": ("guide.pdf", io.BytesIO(pdf),
                                                         "application/pdf")})
    assert resource["url"].startswith(f"{stack.site_url}/"), resource["url"]
    download = resource["url"][len(stack.site_url):]
    assert download.endswith("/download/guide.pdf")
    as_admin = stack.get(download, headers={"Authorization": stack.token})
    assert as_admin.status_code == 200 and as_admin.content == pdf
    assert as_admin.headers["Content-Type"] == "application/pdf"
    # CKAN decides who may cache a resource file: nginx keeps its header
    direct = requests.get(stack.upstream_url + download, timeout=60,
                          headers={"Authorization": stack.token})
    assert direct.status_code == 200
    assert as_admin.headers["Cache-Control"] == direct.headers["Cache-Control"]
    one_of_each_security_header(as_admin)


def _post_body(stack: Stack, size: int) -> tuple[int, bytes, dict]:
    """POST ``size`` bytes through nginx; (status, body, headers)."""
    host, port = stack.site_url.removeprefix("https://").split(":")
    context = ssl.create_default_context(cafile=stack.session.verify)
    connection = http.client.HTTPSConnection(host, int(port), context=context, timeout=60)
    try:
        connection.putrequest("POST", "/api/3/action/status_show")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        try:
            connection.send(b"x" * size)
        except (BrokenPipeError, ConnectionResetError):
            pass  # nginx answered and closed before the whole body was sent
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def test_a_body_over_the_upload_limit_is_refused_by_nginx(stack):
    limit = LIMIT_MB * 1024 * 1024
    before = len(stack.upstream_requests())
    status, body, headers = _post_body(stack, limit + 1)
    assert status == 413 and b"nginx" in body
    assert headers["Server"] == "nginx"
    assert stack.upstream_requests()[before:] == [], "the body never reached CKAN"
    status, _, _ = _post_body(stack, limit)
    assert status != 413
    assert [r["path"] for r in stack.upstream_requests()[before:]] == [
        "/api/3/action/status_show"]


def test_forwarded_headers_are_nginxs_and_absolute_urls_public(stack):
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http",
               "X-Forwarded-Host": "evil.example"}
    response = stack.get("/dataset/", headers=spoofed)
    seen = [r for r in stack.upstream_requests() if r["path"] == "/dataset/"][-1]
    assert seen["x_forwarded_for"] == "127.0.0.1"
    assert seen["x_forwarded_proto"] == "https"
    host = stack.site_url.removeprefix("https://")
    assert seen["x_forwarded_host"] == seen["host"] == host
    assert response.status_code == 200
    # an absolute URL built from the request (werkzeug's redirect to the
    # slash-ended form of one of CKAN's routes): the public scheme, host, port
    redirect = stack.get("/zh_TW", headers=spoofed)
    assert redirect.status_code == 308
    assert redirect.headers["Location"] == f"{stack.site_url}/zh_TW/"
    # plain HTTP: sent to the site's address
    plain = stack.session.get(f"{stack.http_url}/dataset?q=x", allow_redirects=False,
                              timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"{stack.site_url}/dataset?q=x"
