"""A small real HTTP server speaking the part of Solr's API CKAN uses.

It answers core's pysolr client (``solr_url`` pointed at :attr:`FakeSolr.url`)
and CKAN's start-up schema check, and records what it receives:

- ``POST /update``: JSON documents (``add``) and XML ``<delete>`` /
  ``<commit>`` messages (pysolr sends both kinds);
- ``GET|POST /select``: the search parameters; the answer is whatever
  :attr:`FakeSolr.answer` returns (by default: no documents);
- ``GET /schema?wt=schema.xml``: the schema it was given (the one docker/
  ships), as Solr's managed-schema endpoint returns it.

Documents and parameters are kept exactly as received (lists for repeated
parameters), so that tests can assert on the wire format, not on what a
client library meant to send.
"""
from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CORE = "/solr/ckan"

#: ``answer(params) -> (docs, num_found, facet_fields)``
Answer = Callable[[dict[str, list[str]]], tuple[list[dict[str, Any]], int, dict[str, list]]]


def no_documents(params: dict[str, list[str]]) -> tuple[list[dict[str, Any]], int, dict]:
    return [], 0, {}


class FakeSolr:
    def __init__(self, schema_xml: bytes) -> None:
        self.schema_xml = schema_xml
        self.added: list[dict[str, Any]] = []
        self.deleted: list[str] = []
        self.commits = 0
        self.selects: list[dict[str, list[str]]] = []
        self.schema_requests = 0
        self.answer: Answer = no_documents
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{CORE}"

    def __enter__(self) -> FakeSolr:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def searches(self) -> list[dict[str, list[str]]]:
        """The package searches received (not CKAN's ``*:*`` availability probe)."""
        return [p for p in self.selects if p.get("q") != ["*:*"] or "fq" in p]

    # -- the handler

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, value: dict[str, Any], status: int = 200) -> None:
                self._reply(status, json.dumps(value).encode(), "application/json")

            def _route(self, body: bytes) -> None:
                url = urlsplit(self.path)
                params = parse_qs(url.query, keep_blank_values=True)
                path = url.path.rstrip("/")
                if not path.startswith(CORE):
                    return self._json({"error": {"msg": "no such core"}}, 404)
                handler = path[len(CORE):]
                if handler == "/select":
                    if self.headers.get("Content-Type", "").startswith(
                            "application/x-www-form-urlencoded"):
                        params.update(parse_qs(body.decode(), keep_blank_values=True))
                    return self._select(params)
                if handler == "/update":
                    return self._update(body, self.headers.get("Content-Type", ""))
                if handler == "/schema" and params.get("wt") == ["schema.xml"]:
                    with fake._lock:
                        fake.schema_requests += 1
                    return self._reply(200, fake.schema_xml, "application/xml")
                if handler == "/admin/ping":
                    return self._json({"status": "OK"})
                return self._json({"error": {"msg": f"unknown handler {handler}"}}, 404)

            def _select(self, params: dict[str, list[str]]) -> None:
                with fake._lock:
                    fake.selects.append(params)
                docs, num_found, facet_fields = fake.answer(params)
                self._json({
                    "responseHeader": {"status": 0, "QTime": 1},
                    "response": {"numFound": num_found, "start": 0, "docs": docs},
                    "facet_counts": {"facet_queries": {}, "facet_fields": facet_fields,
                                     "facet_ranges": {}, "facet_intervals": {},
                                     "facet_heatmaps": {}},
                })

            def _update(self, body: bytes, content_type: str) -> None:
                with fake._lock:
                    if content_type.startswith("application/json"):
                        fake.added.extend(json.loads(body))
                    else:
                        root = ET.fromstring(body)
                        if root.tag == "delete":
                            fake.deleted.extend(q.text or "" for q in root.iter("query"))
                        elif root.tag == "commit":
                            fake.commits += 1
                    if "commit=true" in self.path:
                        fake.commits += 1
                self._json({"responseHeader": {"status": 0, "QTime": 1}})

            def do_GET(self) -> None:
                self._route(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._route(self.rfile.read(length))

        return Handler
