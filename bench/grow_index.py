#!/usr/bin/env python3
"""Grow a bench database's search index to N records with copies, in SQL.

    python3 bench/grow_index.py DB N [--public]

Loading through ``package_create`` runs at about 40 records/s here (RESULTS.md:
100,000 take 41 minutes), so past what was loaded the index is grown with
copies of the loaded rows, written straight into the index tables
(``learning_search_index`` and ``learning_search_document``), as a bulk load
would write them.  Copy number ``c`` of an original row gets a new
``index_id``/``id``/``name`` (prefixed ``copy-c-``), the original's text,
permission labels, facets and dates, and one lexeme of its own
(``benchcopyc``), so the vocabulary grows with the catalogue and a query can
select a known number of copies.  The originals are the rows whose
``index_id`` does not start with ``copy-`` (``--public``: only the public
ones).  The rows get their document numbers (``seq``) and writing
transaction (``xid``) from the columns' defaults, as any index write does, so
running workers pick them up as they would new records.  Asked for fewer
records than it holds (a whole number of copies), it removes the copies
numbered past that size.

Bench databases only: nothing in CKAN's own tables refers to the copies.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time


def psql(db: str, sql: str) -> str:
    return subprocess.run(
        ["psql", f"postgresql://ckan_default:ckan_default@127.0.0.1/{db}", "-v",
         "ON_ERROR_STOP=1", "-tAc", sql], check=True, capture_output=True,
        text=True).stdout.strip()


def grow(db: str, target: int, public_only: bool = False, batch: int = 100_000) -> int:
    """Add copies until the index (or its public part) holds ``target``
    records; returns how many it holds."""
    scope = "capacity = 'public'" if public_only else "TRUE"
    originals = int(psql(db, f"SELECT count(*) FROM learning_search_index "
                             f"WHERE {scope} AND index_id NOT LIKE 'copy-%'"))
    if not originals:
        raise SystemExit(f"{db}: no records to copy")
    have = int(psql(db, f"SELECT count(*) FROM learning_search_index WHERE {scope}"))
    if have > target and (target - originals) % originals == 0 and target >= originals:
        # back to a smaller size: drop the copies numbered past it
        keep = (target - originals) // originals
        for table in ("learning_search_document", "learning_search_index"):
            psql(db, f"DELETE FROM {table} WHERE index_id LIKE 'copy-%' "
                     f"AND split_part(index_id, '-', 2)::int > {keep}")
        psql(db, "VACUUM learning_search_index")
        psql(db, "VACUUM learning_search_document")
        print(f"  {db}: {have:,} -> {target:,} records (copies past {keep} removed)")
    while True:
        have = int(psql(db, f"SELECT count(*) FROM learning_search_index WHERE {scope}"))
        if have >= target:
            return have
        rows = min(batch, target - have)
        first = (have - originals) // originals + 1  # the next copy number
        began = time.perf_counter()
        psql(db, f"""
            WITH source AS (
                SELECT i.*, d.doc, row_number() OVER (ORDER BY i.index_id) - 1 AS n
                FROM learning_search_index i JOIN learning_search_document d USING (index_id)
                WHERE {scope} AND i.index_id NOT LIKE 'copy-%'),
            numbered AS (
                SELECT s.*, k.copy, 'copy-' || k.copy || '-' || s.index_id AS new_index_id,
                       md5(k.copy || s.index_id) AS new_id,
                       'copy-' || k.copy || '-' || (s.doc->>'name') AS new_name
                FROM (SELECT g / {originals} + 1 AS copy, g % {originals} AS n
                      FROM generate_series({have - originals},
                                           {have - originals + rows - 1}) AS g) k
                JOIN source s USING (n)),
            new_index AS (
                INSERT INTO learning_search_index (index_id, id, metadata_modified,
                    metadata_created, title_sort, site_id, state, capacity, dataset_type,
                    permission_labels, fields, facet_values, tsv, tsv_rank)
                SELECT new_index_id, new_id, metadata_modified, metadata_created,
                       title_sort, site_id, state, capacity, dataset_type,
                       permission_labels, fields || jsonb_build_object('name', new_name),
                       facet_values, tsv || to_tsvector('simple', 'benchcopy' || copy),
                       tsv_rank
                FROM numbered RETURNING index_id)
            INSERT INTO learning_search_document (index_id, doc)
            SELECT new_index_id, doc || jsonb_build_object('id', new_id, 'name', new_name)
            FROM numbered""")
        print(f"  {db}: {have:,} -> {have + rows:,} records (copies from {first}) "
              f"in {time.perf_counter() - began:.0f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("records", type=int)
    parser.add_argument("--public", action="store_true", help="count and copy public rows only")
    args = parser.parse_args()
    print(f"{args.db}: {grow(args.db, args.records, args.public):,} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
