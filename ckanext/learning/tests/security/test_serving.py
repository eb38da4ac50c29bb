"""`make run` serves with gunicorn (bin/serve), a production WSGI server:
threads, no debugger, no version in `Server:` (issue 14).  The last test
starts the real server on a loopback port and stops it."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[4]
SERVE = ROOT / "bin" / "serve"


def run_target() -> str:
    makefile = (ROOT / "Makefile").read_text()
    start = makefile.index("\nrun:")
    return makefile[start:makefile.index("\n\n", start)]


def test_make_run_serves_with_gunicorn():
    target = run_target()
    assert "bin/serve" in target and " run " not in target.replace("make run", "")
    script = SERVE.read_text()
    assert "gunicorn" in script and "--threads" in script and "--workers" in script
    assert os.access(SERVE, os.X_OK)


def test_wsgi_refuses_debug(tmp_path):
    ini = tmp_path / "debug.ini"
    ini.write_text((ROOT / "test.ini").read_text().replace(
        "debug = false", "debug = true").replace("%(here)s", str(ROOT)))
    done = subprocess.run([sys.executable, str(ROOT / "bin" / "wsgi.py")],
                          env={**os.environ, "CKAN_INI": str(ini)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "debug = true" in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.usefixtures("clean_db")
def test_bin_serve_answers_hardened_with_threads():
    # the scripts' Khmer words: gunicorn must build them (``ckan run`` would)
    scripts_catalogue = ROOT / "var" / "test-storage" / "i18n" / "js" / "km.js"
    scripts_catalogue.unlink(missing_ok=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(SERVE), "test.ini"], cwd=ROOT, start_new_session=True,
        env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "1",
             "THREADS": "3"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, headers = _get(base + "/api/3/action/status_show")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        assert status == 200, "bin/serve did not answer"
        assert headers["Server"] == "gunicorn"  # no version
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert _get(base + "/console")[0] == 404  # no Werkzeug debugger
        with urllib.request.urlopen(base + "/api/i18n/km", timeout=30) as answer:
            words = json.load(answer)
        assert words["Edit"] == [None, "កែសម្រួល"] and words["Upload"] == [None, "ផ្ទុកឡើង"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "Using worker: gthread" in output  # threads
