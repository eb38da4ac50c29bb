#!/usr/bin/env bash
# Load N bilingual datasets into a database of their own and time package_search
# over HTTP: the issue-6 measurements of bench/scale.sh for one size.
#
#   bench/search_bench.sh [N]          # default N=10000
set -euo pipefail
exec "$(dirname "$0")/scale.sh" "${1:-10000}"
