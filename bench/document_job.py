#!/usr/bin/env python3
"""The documents job's rate, and what it costs an edit while it runs.

    .venv/bin/python bench/document_job.py INI [--documents 20] [--pages 10]
        [--updates 60]

INI is a portal's config with the learning plugins (``make run``'s
``ckan.ini``, or one made the same way: ``bin/write-config``, ``ckan db
upgrade``, ``ckan learning init``).  In one run:

1. makes ``--documents`` PDFs of ``--pages`` pages, each page an English
   paragraph and Khmer sentences (``bench/document_text.py``'s pages) drawn
   with Noto Sans Khmer and HarfBuzz shaping (fpdf2, as the documents tests
   make theirs), and uploads them to a new dataset through
   ``resource_create``, timing each upload: the request only queues the job;
2. times ``package_patch`` of another dataset ``--updates`` times with no job
   running (*idle*);
3. starts ``ckan jobs worker`` in a process of its own, as production does,
   and times the same ``package_patch`` while it reads the queued documents
   (*busy*), until every document has its text row;
4. reads two of the documents again in this process (``process_resource``
   with ``force``), timing the job alone: extraction, cover and re-index.

Pages/s: the worker's, from its start to its last row (its own start-up
included), and the job's alone.  On 2 shared cores the worker and the edits
share the CPU, so *busy* shows what that contention costs; the edit never
waits for a document.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))


def make_pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    from ckanext.learning.tests.documents.samples import FONT

    pdf = FPDF()
    pdf.add_font("khmer", fname=FONT)
    pdf.set_text_shaping(True)
    for text in pages:
        pdf.add_page()
        pdf.set_font("khmer", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def timed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> dict[str, float]:
    from concurrency import percentile

    return {"n": len(values), "p50": round(percentile(values, 50), 1),
            "p95": round(percentile(values, 95), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ini")
    ap.add_argument("--documents", type=int, default=20)
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--updates", type=int, default=60)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    sys.path.insert(0, SHARED)
    import ckan.model as model
    import gen_corpus as corpus  # type: ignore
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib import jobs as ckan_jobs
    from ckan.tests import factories, helpers
    from document_text import ONLY_IN_DOCUMENTS, page_text
    from werkzeug.datastructures import FileStorage

    from ckanext.learning.documents import jobs as document_jobs
    from ckanext.learning.documents.model import DocumentText
    from ckanext.learning.tests.resources import learning_resource

    app = make_app(load_config(args.ini))._wsgi_app
    rng = random.Random(args.seed)
    result: dict = {"documents": args.documents, "pages_each": args.pages}
    with app.test_request_context():
        ckan_jobs.get_queue().empty()
        import ckan.plugins.toolkit as tk

        admin = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def act(action: str, **data):
            return helpers.call_action(action, context={"user": admin}, **data)

        org = factories.Organization()
        stamp = int(time.time())
        target = act("package_create", **learning_resource(
            org, f"bench-documents-{stamp}"))
        edited = act("package_create", **learning_resource(
            org, f"bench-edited-{stamp}"))

        pdfs = []
        began = time.perf_counter()
        for _ in range(args.documents):
            words = {lang: rng.sample(pool, 2) for lang, pool in ONLY_IN_DOCUMENTS.items()}
            pdfs.append(make_pdf([page_text(rng, corpus, words, p + 1)
                                  for p in range(args.pages)]))
        result["pdf_kb_each"] = round(sum(map(len, pdfs)) / len(pdfs) / 1024, 1)
        result["pdfs_made_s"] = round(time.perf_counter() - began, 1)

        uploads, resource_ids = [], []
        for n, body in enumerate(pdfs):
            def create(body=body, n=n):
                resource_ids.append(act("resource_create",
                    package_id=target["id"], name=f"Report {n}",
                    upload=FileStorage(stream=io.BytesIO(body), filename=f"report-{n}.pdf"),
                )["id"])
            uploads.append(timed_ms(create))
        result["upload_ms"] = summary(uploads)
        result["queued_jobs"] = ckan_jobs.get_queue().count

        def edit(n: int) -> None:
            act("package_patch", id=edited["id"], version=f"{stamp}.{n}")

        result["package_patch_idle_ms"] = summary([timed_ms(lambda n=n: edit(n))
                                                   for n in range(args.updates)])

        def read() -> int:
            model.Session.remove()
            return model.Session.query(DocumentText).filter(
                DocumentText.resource_id.in_(resource_ids)).count()

        worker = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c", args.ini,
             "jobs", "worker"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        busy: list[float] = []
        try:
            n = 0
            while read() < len(resource_ids):
                busy.append(timed_ms(lambda n=n: edit(args.updates + n)))
                n += 1
                if time.perf_counter() - started > 1800:
                    raise SystemExit("the worker did not read every document in 30 min")
            worker_s = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        result["package_patch_busy_ms"] = summary(busy)
        result["worker_s"] = round(worker_s, 1)
        pages = sum(row.page_count or 0 for row in model.Session.query(DocumentText)
                    .filter(DocumentText.resource_id.in_(resource_ids)))
        result["pages_read"] = pages
        result["worker_pages_per_s"] = round(pages / worker_s, 1)

        alone = [timed_ms(lambda rid=rid: document_jobs.process_resource(rid, force=True))
                 for rid in resource_ids[:2]]
        result["job_ms_per_document"] = [round(ms) for ms in alone]
        result["job_pages_per_s"] = round(2 * args.pages / (sum(alone) / 1000), 1)
        found = act("package_search", q=ONLY_IN_DOCUMENTS["en"][0])["count"]
        result["found_by_a_word_inside"] = found
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
