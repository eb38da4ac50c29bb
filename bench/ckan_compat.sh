#!/usr/bin/env bash
# Run CKAN 2.12's own package_search tests against the PostgreSQL backend.
#   bench/ckan_compat.sh [extra pytest args]
# Prints pytest's summary; the closing note of issue 3 lists each failure and
# why it cannot or should not pass.
set -uo pipefail
cd "$(dirname "$0")/.."
CK=$(.venv/bin/python -c 'import ckan, os; print(os.path.dirname(ckan.__file__))')/tests
.venv/bin/python -m pytest --ckan-ini=bench/ckan-compat.ini -p no:cacheprovider -q \
    -o addopts="" -rfE \
    "$CK/lib/search/" \
    "$CK/logic/action/test_get.py" \
    "$@"
