#!/usr/bin/env bash
# Generate, load and index N bilingual datasets (../shared/bench/gen_corpus.py,
# load_corpus.py) into a database of their own, time a full rebuild, then time
# package_search over HTTP with ../shared/bench/search_bench.py.
#
#   bench/search_bench.sh [N]          # default N=10000
#
# Needs the set-up of `make run` (venv, ckan.ini).  Re-running reuses the
# corpus and the loaded database.  Results: bench/out/search-N.{txt,json}.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
SHARED=${SHARED_BENCH:-../shared/bench}
OUT=bench/out
PORT=${PORT:-5055}
DB=ckan_learning_bench_$N
INI=$OUT/bench-$N.ini
CORPUS=$OUT/corpus-$N.jsonl
CKAN=.venv/bin/ckan
mkdir -p "$OUT"

[ -f ckan.ini ] || { echo "run 'make run' (or 'make setup') first"; exit 1; }
[ -f "$CORPUS" ] || python3 "$SHARED/gen_corpus.py" -n "$N" --seed 42 -o "$CORPUS"

bin/ensure-database "$DB"
cp ckan.ini "$INI"
$CKAN config-tool "$INI" "sqlalchemy.url=postgresql://ckan_default:ckan_default@127.0.0.1/$DB" \
    "ckan.site_url=http://127.0.0.1:$PORT" "ckan.plugins=learning" >/dev/null
$CKAN config-tool "$INI" -s logger_ckan "level=WARNING" >/dev/null
$CKAN config-tool "$INI" -s logger_ckanext "level=WARNING" >/dev/null 2>&1 || true
$CKAN -c "$INI" db upgrade >/dev/null 2>&1

count() { psql -h 127.0.0.1 -U ckan_default -d "$DB" -tAc \
    "select count(*) from package where state='active' and type='dataset'"; }
if [ "$(count)" -lt "$N" ]; then
    echo "== loading $N datasets"
    .venv/bin/python "$SHARED/load_corpus.py" -c "$INI" "$CORPUS" --skip-existing \
        --progress 1000 | tee "$OUT/load-$N.txt"
fi

echo "== full rebuild"
start=$(date +%s.%N)
$CKAN -c "$INI" search-index rebuild -q >/dev/null 2>&1
end=$(date +%s.%N)
python3 -c "n=$N; s=$end-$start; print(f'rebuild: {n} datasets in {s:.1f}s = {n/s:.0f} datasets/s')" \
    | tee "$OUT/rebuild-$N.txt"
psql -h 127.0.0.1 -U ckan_default -d "$DB" -tAc "select 'index size on disk: ' ||
    pg_size_pretty(pg_total_relation_size('learning_search_index')) || ' index table + ' ||
    pg_size_pretty(pg_total_relation_size('learning_search_document')) || ' documents'" \
    | tee -a "$OUT/rebuild-$N.txt"

echo "== serving on :$PORT"
$CKAN -c "$INI" run --host 127.0.0.1 --port "$PORT" --disable-reloader >"$OUT/server-$N.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/api/3/action/status_show" >/dev/null && break
    sleep 1
done

python3 "$SHARED/search_bench.py" "http://127.0.0.1:$PORT" --corpus "$CORPUS" \
    --reps "${REPS:-20}" --json-out "$OUT/search-$N.json" | tee "$OUT/search-$N.txt"
