#!/usr/bin/env python3
"""How fast can any faithful rebuild be?  Core's per-dataset work, timed alone.

    .venv/bin/python bench/rebuild_floor.py -c bench/out/bench-10000.ini [--n 2000] [--jobs 2]

A rebuild must store, for every dataset, what ``package_show`` answers:
core's ``index_update_package`` runs ``package_show_default_and_custom_schemas``
(dictize, then validation against the default *and* the scheming show schema,
then ``after_dataset_show``) and only then hands the two dicts to the search
backend.  This times those stages with no index write at all, on ``--jobs``
forked processes (all cores by default), so the figures are ceilings that no
search backend can beat:

``dictize+validate``  everything core computes per dataset before indexing;
``dictize``           ``package_show`` without validation (queries + plugins);
``validate``          the two schema validations alone, on dicts dictized
                      beforehand: the floor even for a bulk path that read
                      every table in a few queries.

Each stage starts in all processes at once (a barrier); datasets/s is
``n`` over the slowest process's time.  Nothing is written.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    app = make_app(CKANConfigLoader(args.config).get_config())
    import ckan.model as model

    with app._wsgi_app.test_request_context():
        ids = [r[0] for r in model.Session.query(model.Package.id)
               .filter(model.Package.state == "active").order_by(model.Package.id)
               .limit(args.n)]
        model.Session.rollback()

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.jobs)
    results = context.Queue()
    workers = [context.Process(target=_worker,
                               args=(app, ids[j::args.jobs], barrier, results))
               for j in range(args.jobs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if any(w.exitcode for w in workers):
        print("a worker failed", file=sys.stderr)
        return 1
    timings: dict[str, float] = {}
    for _ in workers:
        for stage, seconds in results.get(timeout=10).items():
            timings[stage] = max(timings.get(stage, 0.0), seconds)
    print(f"core's per-dataset rebuild work, no index writes, {len(ids)} datasets, "
          f"{args.jobs} processes:")
    for stage in ("dictize+validate", "dictize", "validate"):
        seconds = timings[stage]
        print(f"  {stage:17s} {len(ids) / seconds:6.0f} datasets/s "
              f"({seconds * 1000 * args.jobs / len(ids):.1f} core-ms per dataset)")
    return 0


def _worker(app, ids, barrier, results) -> None:
    import ckan.logic as logic
    import ckan.model as model
    from ckan.lib.plugins import lookup_package_plugin, plugin_validate
    from ckan.logic.schema import default_show_package_schema

    def show_context():
        return logic.fresh_context({}, ignore_auth=True, use_cache=False, validate=False)

    def timed(stage: str, work) -> None:
        barrier.wait()
        start = time.perf_counter()
        work()
        timings[stage] = time.perf_counter() - start

    timings: dict[str, float] = {}
    with app._wsgi_app.test_request_context():
        # warm caches (schemas, licences, plugin look-ups) outside the timings
        for package_id in ids[:5]:
            logic.package_show_default_and_custom_schemas({"ignore_auth": True}, package_id)

        timed("dictize+validate", lambda: [
            logic.package_show_default_and_custom_schemas({"ignore_auth": True}, i)
            for i in ids])
        shown: list[tuple[dict, dict]] = []  # (package_show's context, its answer)

        def dictize_all() -> None:
            for package_id in ids:
                context = show_context()
                shown.append((context, logic.get_action("package_show")(
                    context, {"id": package_id})))
        timed("dictize", dictize_all)

        def validate_all() -> None:
            for context, package_dict in shown:
                plugin_validate(object(), context, package_dict,
                                default_show_package_schema(), "package_show")
                plugin = lookup_package_plugin(package_dict["type"])
                plugin_validate(plugin, context, package_dict,
                                plugin.show_package_schema(), "package_show")
        timed("validate", validate_all)
        model.Session.rollback()
    results.put(timings)


if __name__ == "__main__":
    sys.exit(main())
