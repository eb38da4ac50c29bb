#!/usr/bin/env bash
# Issue 16's search figures at scale, with and without document text, in one run:
#
#   bench/document_scale.sh [N]        # default N = 100000
#
# Needs the 10 000-record bench database (`LOAD_ONLY=1 bench/scale.sh 10000`).
# Clones it twice: ckan_learning_bench_docs gets document text for 20 % of its
# records (bench/document_text.py: generated pages, re-indexed through core's
# search.rebuild), ckan_learning_bench_nodocs stays as loaded.  Both grow to N
# by copies (bench/grow_index.py: a copy keeps its original's index row, so
# 20 % of the copies have document text too), then bench/scaling_probe.py
# times every query class of the shared mix and the document-only queries
# through package_search, one worker, and reports its RSS.  Lands in
# bench/out/document-scale-{docs,nodocs}.json.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=bench/out
PY=.venv/bin/python
SOURCE=ckan_learning_bench_10000
[ -f "$OUT/bench-10000.ini" ] || { echo "run 'LOAD_ONLY=1 bench/scale.sh 10000' first"; exit 1; }
su_psql() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }

for kind in docs nodocs; do
    db=ckan_learning_bench_$kind ini=$OUT/bench-$kind.ini
    su_psql "DROP DATABASE IF EXISTS $db"
    su_psql "CREATE DATABASE $db TEMPLATE $SOURCE OWNER ckan_default"
    sed "s|/$SOURCE\$|/$db|" "$OUT/bench-10000.ini" > "$ini"
    grep -q "/$db\$" "$ini" || { echo "no sqlalchemy.url to rewrite in $ini"; exit 1; }
    if [ "$kind" = docs ]; then
        echo "== document text for 20 % of $db"
        $PY bench/document_text.py "$ini" --share 0.2 --pages 10 \
            --queries-out "$OUT/document-queries.json" | tee "$OUT/document-text.json"
    fi
    echo "== $db to $N records"
    $PY bench/grow_index.py "$db" "$N"
    psql -h 127.0.0.1 -U ckan_default -d "$db" -qtAc "VACUUM ANALYZE"
done
for kind in docs nodocs; do
    echo "== probe $kind"
    $PY bench/scaling_probe.py "$OUT/bench-$kind.ini" --reps 20 \
        --extra-queries "$OUT/document-queries.json" --json-out "$OUT/document-scale-$kind.json"
done
