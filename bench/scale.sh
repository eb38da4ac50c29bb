#!/usr/bin/env bash
# Issue 6's measurements, for each corpus size, in one run:
#
#   bench/scale.sh [N ...]        # default: 1000 10000 100000
#
# For each N: generate the corpus (../shared/bench/gen_corpus.py), load it into
# its own database ckan_learning_bench_N through package_create
# (load_corpus.py, $JOBS slices in parallel; datasets/s reported), time
# `ckan search-index rebuild` (with its progress bar; then `ckan learning
# reindex --jobs $JOBS` and core's `search-index rebuild-fast`), time core's
# per-dataset work alone (rebuild_floor.py), report the index's size
# on disk, time what indexing adds to an update (index_cost.py), run
# search_bench.py --corpus against the dev server, then serve with gunicorn
# ($WORKERS workers, as docker/ does) for $CLIENTS concurrent clients
# (concurrency.py: requests/s, p95, errors) and record the workers' peak RSS,
# count the results of short Khmer words without the word (khmer_precision.py),
# and print EXPLAIN (ANALYZE, BUFFERS) of the slowest query class.
# Everything lands in bench/out/ (git-ignored); bench/out/scale.md is the
# table of all sizes.  Re-running reuses corpora and loaded databases
# (REBUILD=0 skips the rebuild, REBUILD_MAX=N skips it above N datasets,
# LOAD_ONLY=1 stops after loading).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${*:-1000 10000 100000}
SHARED=${SHARED_BENCH:-../shared/bench}
OUT=bench/out
JOBS=${JOBS:-2}
WORKERS=${WORKERS:-2}
CLIENTS=${CLIENTS:-8}
SECONDS_LOAD=${SECONDS_LOAD:-60}
REPS=${REPS:-20}
PY=.venv/bin/python
CKAN=.venv/bin/ckan
GUNICORN_REQ=gunicorn==23.0.0   # the version docker/Dockerfile runs
mkdir -p "$OUT"
[ -x "$CKAN" ] || { echo "run 'make test' or 'make run' first (needs .venv)"; exit 1; }
[ -x .venv/bin/gunicorn ] || .venv/bin/pip install -q "$GUNICORN_REQ"

psql_db() { psql -h 127.0.0.1 -U ckan_default -d "$1" -tAc "$2"; }
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):.1f}')"; }
wait_up() {
    for _ in $(seq 1 90); do
        curl -sf "$1/api/3/action/status_show" >/dev/null && return 0
        sleep 1
    done
    echo "server at $1 did not start"; return 1
}

setup_instance() {  # N -> database, ini
    local n=$1 db=ckan_learning_bench_$1 ini=$OUT/bench-$1.ini
    bin/ensure-database "$db" >/dev/null
    bin/write-config "$ini" "$db" 5055 >/dev/null
    $CKAN config-tool "$ini" "ckan.plugins=learning_search" "ckan.site_url=http://127.0.0.1:5055" \
        "ckan.redis.url=redis://127.0.0.1:6379/4" "ckan.storage_path=$PWD/$OUT/storage" \
        "licenses_group_url=file://$PWD/ckanext/learning/data/licenses.json" >/dev/null
    for logger in logger_ckan logger_ckanext; do
        $CKAN config-tool "$ini" -s "$logger" "level=WARNING" >/dev/null
    done
    $CKAN -c "$ini" db upgrade >/dev/null 2>&1
}

load() {  # N: load what is missing, $JOBS slices at once
    local n=$1 db=ckan_learning_bench_$1 ini=$OUT/bench-$1.ini corpus=$OUT/corpus-$1.jsonl
    local have
    have=$(psql_db "$db" "select count(*) from package where state='active'")
    if [ "$have" -ge "$n" ]; then echo "load: $have datasets already loaded"; return; fi
    $PY "$SHARED/load_corpus.py" -c "$ini" "$corpus" --limit 0 >/dev/null  # orgs, groups
    local slice=$(( (n + JOBS - 1) / JOBS )) pids=() start
    start=$(now)
    for j in $(seq 0 $((JOBS - 1))); do
        $PY "$SHARED/load_corpus.py" -c "$ini" "$corpus" --skip-existing \
            --start $((j * slice)) --limit "$slice" --progress 1000 \
            >"$OUT/load-$n.$j.txt" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    local end loaded
    end=$(now)
    loaded=$(( $(psql_db "$db" "select count(*) from package where state='active'") - have ))
    echo "load: $loaded datasets in $(printf %.0f "$(python3 -c "print($end-$start)")")s" \
         "= $(rate "$loaded" "$start" "$end") datasets/s ($JOBS loaders)"
}

for N in $SIZES; do
    echo "=========== N=$N"
    DB=ckan_learning_bench_$N INI=$OUT/bench-$N.ini CORPUS=$OUT/corpus-$N.jsonl
    [ -f "$CORPUS" ] || python3 "$SHARED/gen_corpus.py" -n "$N" --seed 42 -o "$CORPUS" >/dev/null
    setup_instance "$N"
    load "$N" | tee "$OUT/load-$N.txt"
    [ "${LOAD_ONLY:-0}" = 1 ] && continue

    if [ "${REBUILD:-1}" = 1 ] && [ "$N" -le "${REBUILD_MAX:-1000000}" ]; then
        start=$(now)
        $CKAN -c "$INI" search-index rebuild 2>&1 | tr '\r' '\n' | tail -n 1 >"$OUT/rebuild-progress-$N.txt"
        end=$(now)
        count=$(psql_db "$DB" "select count(*) from learning_search_index")
        echo "rebuild: $count datasets in $(printf %.1f "$(python3 -c "print($end-$start)")")s" \
             "= $(rate "$count" "$start" "$end") datasets/s (last progress line:" \
             "$(cat "$OUT/rebuild-progress-$N.txt"))" | tee "$OUT/rebuild-$N.txt"
        # the same indexing on every core: ours (a transaction per 100) and core's
        start=$(now)
        $CKAN -c "$INI" learning reindex --jobs "$JOBS" >/dev/null 2>&1
        end=$(now)
        echo "learning reindex --jobs $JOBS: $(rate "$count" "$start" "$end") datasets/s" \
            | tee -a "$OUT/rebuild-$N.txt"
        start=$(now)
        $CKAN -c "$INI" search-index rebuild-fast >/dev/null 2>&1
        end=$(now)
        active=$(psql_db "$DB" "select count(*) from package where state='active'")
        echo "search-index rebuild-fast: $(rate "$active" "$start" "$end") datasets/s" \
            | tee -a "$OUT/rebuild-$N.txt"
    fi
    # what core computes per dataset before any index write: the ceiling of a rebuild
    $PY bench/rebuild_floor.py -c "$INI" --jobs "$JOBS" --n 2000 2>/dev/null \
        | tee "$OUT/rebuild-floor-$N.txt"
    # compacted: a rebuild rewrites every row, and the size should not count the dead ones
    psql_db "$DB" "vacuum full analyze learning_search_index" >/dev/null
    psql_db "$DB" "vacuum full analyze learning_search_document" >/dev/null
    psql_db "$DB" "select 'index size on disk: ' ||
        pg_size_pretty(pg_total_relation_size('learning_search_index')) || ' index table (' ||
        pg_size_pretty(pg_indexes_size('learning_search_index')) || ' of it indexes) + ' ||
        pg_size_pretty(pg_total_relation_size('learning_search_document')) || ' stored documents'" \
        | tee "$OUT/size-$N.txt"
    $PY bench/index_cost.py -c "$INI" --n 200 --json-out "$OUT/index-cost-$N.json" \
        2>/dev/null | tee "$OUT/index-cost-$N.txt"

    # sequential latencies, counts and facets against the corpus (dev server)
    $CKAN -c "$INI" run --host 127.0.0.1 --port 5055 --disable-reloader \
        >"$OUT/server-$N.log" 2>&1 &
    server=$!
    wait_up http://127.0.0.1:5055
    python3 bench/warm.py http://127.0.0.1:5055 | tee "$OUT/warm-$N.txt"
    python3 "$SHARED/search_bench.py" http://127.0.0.1:5055 --corpus "$CORPUS" \
        --reps "$REPS" --json-out "$OUT/search-$N.json" >"$OUT/search-$N.txt" || true
    python3 bench/khmer_precision.py http://127.0.0.1:5055 "$CORPUS" \
        --json-out "$OUT/khmer-precision-$N.json" >"$OUT/khmer-precision-$N.txt" || true
    kill "$server"; wait "$server" 2>/dev/null || true
    cat "$OUT/search-$N.txt"

    # production server, concurrent clients
    printf 'from ckan.config.middleware import make_app\nfrom ckan.cli import CKANConfigLoader\napplication = make_app(CKANConfigLoader("%s").get_config())\n' \
        "$PWD/$INI" >"$OUT/wsgi_$N.py"
    .venv/bin/gunicorn --chdir "$OUT" --bind 127.0.0.1:5056 --workers "$WORKERS" \
        --timeout 120 --pid "$PWD/$OUT/gunicorn-$N.pid" "wsgi_$N:application" \
        >"$OUT/gunicorn-$N.log" 2>&1 &
    gunicorn=$!
    wait_up http://127.0.0.1:5056
    python3 bench/warm.py http://127.0.0.1:5056 | tee "$OUT/warm-gunicorn-$N.txt"
    python3 bench/concurrency.py http://127.0.0.1:5056 --clients 2 --seconds 10 >/dev/null || true
    python3 bench/concurrency.py http://127.0.0.1:5056 --clients "$CLIENTS" \
        --seconds "$SECONDS_LOAD" --json-out "$OUT/concurrency-$N.json" \
        | tee "$OUT/concurrency-$N.txt" || true
    for w in $(pgrep -P "$gunicorn"); do grep VmHWM "/proc/$w/status"; done \
        | awk '{ if ($2 > m) m = $2 } END { printf "peak RSS of a worker: %.0f MB\n", m / 1024 }' \
        | tee "$OUT/rss-$N.txt"
    kill "$gunicorn"; wait "$gunicorn" 2>/dev/null || true

    # EXPLAIN of the slowest class (by p95)
    slowest=$(python3 - "$OUT/search-$N.json" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
p95 = {}
for q in data["queries"]:
    lat = sorted(q["lat_ms"])
    p95[q["id"]] = (lat[int(0.95 * (len(lat) - 1))], q)
query = max(p95.values(), key=lambda v: v[0])[1]
print(json.dumps(query["params"]))
EOF
    ) || slowest=""
    if [ -n "$slowest" ]; then
        echo "slowest class: $slowest" >"$OUT/explain-$N.txt"
        $PY bench/index_cost.py -c "$INI" --explain "$slowest" >>"$OUT/explain-$N.txt" 2>/dev/null || true
    fi
done
$PY bench/scale_table.py "$OUT" $SIZES | tee "$OUT/scale.md"
