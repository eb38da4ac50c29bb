#!/usr/bin/env python3
"""Give a share of a bench index's records the text of their documents.

    .venv/bin/python bench/document_text.py INI [--share 0.2] [--pages 10]
        [--seed 42] [--queries-out bench/out/document-queries.json]

The corpus of ``bench/scale.sh`` holds links, not uploads, so the text the
documents job (``documents/jobs.py``) would read from a file is generated
here: ``--pages`` pages a record, each an English paragraph and two Khmer
sentences in the corpus's own words (``../shared/bench/gen_corpus.py``) with
words that no record's metadata holds (:data:`ONLY_IN_DOCUMENTS`; checked
below: a search for each finds nothing before).  Each chosen record is then
re-indexed through core's ``search.rebuild`` with that text where
``documents/index.py`` puts it (``learning_file_text``, its Khmer segmented
by the same hook into ``learning_file_tokens``), so its index row is the
one a portal with those uploads holds.  The bench config loads
``learning_search`` alone (no ``learning_document_text`` table), so the text
reaches the index by wrapping that plugin's hook.

Prints the re-indexing rate and writes the document-only queries, English
and Khmer, as a query mix for ``scaling_probe.py --extra-queries``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))

#: Words of the documents only: none is in the corpus's vocabulary (nor, for
#: the Khmer ones, inside any of its Khmer words).
ONLY_IN_DOCUMENTS = {
    "en": ["sedimentation", "groundwater", "microfinance", "smallholders",
           "remittances", "agroforestry", "hydrology", "vaccination"],
    "km": ["ដីល្បាប់", "ទឹកក្រោមដី", "មីក្រូហិរញ្ញវត្ថុ", "កសិករខ្នាតតូច",
           "ប្រាក់បញ្ញើ", "វនកសិកម្ម", "សហករណ៍", "ការចាក់វ៉ាក់សាំង"],
}


def page_text(rng: random.Random, corpus, words: dict[str, list[str]], n: int) -> str:
    """One page: a paragraph of English, two Khmer sentences with a
    document-only word glued in, as a report's page reads once extracted."""
    theme = corpus.THEMES[rng.choice(corpus.THEME_NAMES)]
    english = []
    for _ in range(6):
        topic = rng.choice(theme["topics"])
        place = rng.choice(corpus.PLACES)[0]
        english.append(f"This section on {topic} in {place} describes "
                       f"{rng.choice(words['en'])} and what partners learned.")
        english.append(rng.choice(corpus.EN_FILLERS))
    khmer = [corpus._km_sentence(rng, theme["km"]) for _ in range(2)]
    at = rng.randrange(2)
    khmer[at] = rng.choice(words["km"]) + khmer[at]
    return f"Page {n}. " + " ".join(english) + "\n" + " ".join(khmer)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ini")
    ap.add_argument("--share", type=float, default=0.2)
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--queries-out", default="bench/out/document-queries.json")
    args = ap.parse_args()

    sys.path.insert(0, SHARED)
    import ckan.model as model
    import gen_corpus as corpus  # type: ignore
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib import search
    from ckan.tests import helpers

    from ckanext.learning.search import hooks
    from ckanext.learning.search.fields import DOCUMENT_TEXT

    app = make_app(load_config(args.ini))._wsgi_app
    texts: dict[str, str] = {}
    prepare = hooks.prepare_for_index

    def with_documents(pkg_dict):
        if pkg_dict.get("id") in texts:
            pkg_dict[DOCUMENT_TEXT] = texts[pkg_dict["id"]]
        return prepare(pkg_dict)

    hooks.prepare_for_index = with_documents
    queries = [{"id": f"q_doc_{lang}.{j}", "class": f"q_doc_{lang}",
                "params": {"q": word, "rows": "10"}}
               for lang, words in ONLY_IN_DOCUMENTS.items() for j, word in enumerate(words)]
    with app.test_request_context():
        for query in queries:
            found = helpers.call_action("package_search", **query["params"])["count"]
            if found:
                raise SystemExit(f"{query['params']['q']!r} is in {found} records' metadata")
        ids = sorted(i for i, in model.Session.query(model.Package.id)
                     .filter(model.Package.state == "active"))
        rng = random.Random(args.seed)
        chosen = sorted(rng.sample(ids, round(len(ids) * args.share)))
        pages = chars = 0
        began = time.perf_counter()
        for n, package_id in enumerate(chosen, 1):
            words = {lang: rng.sample(pool, 2) for lang, pool in ONLY_IN_DOCUMENTS.items()}
            texts[package_id] = "\n".join(page_text(rng, corpus, words, p + 1)
                                          for p in range(args.pages))
            pages += args.pages
            chars += len(texts[package_id])
            search.rebuild(package_id)
            model.Session.commit()
            texts.pop(package_id)
            if n % 200 == 0:
                print(f"{n}/{len(chosen)} records, {n / (time.perf_counter() - began):.1f}/s",
                      file=sys.stderr)
        elapsed = time.perf_counter() - began
        counts = {q["params"]["q"]: helpers.call_action("package_search",
                                                         **q["params"])["count"]
                  for q in queries}
    os.makedirs(os.path.dirname(args.queries_out) or ".", exist_ok=True)
    with open(args.queries_out, "w", encoding="utf-8") as f:
        json.dump(queries, f, ensure_ascii=False)
    print(json.dumps({"records": len(ids), "with_documents": len(chosen),
                      "pages": pages, "chars_per_record": round(chars / max(1, len(chosen))),
                      "reindex_s": round(elapsed, 1),
                      "records_per_s": round(len(chosen) / elapsed, 1),
                      "found_only_in_documents": counts}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
