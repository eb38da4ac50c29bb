#!/usr/bin/env bash
# Run CKAN 2.12's own search tests against the PostgreSQL backend, with only
# the learning_search plugin loaded (bench/ckan-compat.ini).
#   bench/ckan_compat.sh [extra pytest args]
#   COMPAT_MIN_PASSED=328 bench/ckan_compat.sh   # fail unless >= 328 pass
# `make compat` creates the database first and sets the minimum.
#
# Of the 332 tests, three cannot pass and should not: test_search.py's
# test_check_valid_schema, test_check_invalid_schema and
# test_check_schema_with_wrong_version check the version in Solr schema XML
# files through check_solr_schema_version().  With the PostgreSQL backend
# there is no Solr schema; the function returns False, which is what core
# documents for "CKAN is configured to not use Solr" (with backend = solr
# core's own function is in place and they pass).
set -uo pipefail
cd "$(dirname "$0")/.."
CK=$(.venv/bin/python -c 'import ckan, os; print(os.path.dirname(ckan.__file__))')/tests
JUNIT=$(mktemp --suffix=.xml)
trap 'rm -f "$JUNIT"' EXIT
.venv/bin/python -m pytest --ckan-ini=bench/ckan-compat.ini -p no:cacheprovider -q \
    -o addopts="" -rfE --junitxml="$JUNIT" \
    "$CK/lib/search/" \
    "$CK/logic/action/test_get.py" \
    "$@"
status=$?
[ -n "${COMPAT_MIN_PASSED:-}" ] || exit $status
# pytest's exit status is 1 whenever one test fails: count the passes instead
exec .venv/bin/python - "$JUNIT" "$COMPAT_MIN_PASSED" <<'PY'
import sys
import xml.etree.ElementTree as ET

cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
outcomes = [next((c.tag for c in case if c.tag in ("failure", "error", "skipped")),
                 "passed") for case in cases]
passed, minimum = outcomes.count("passed"), int(sys.argv[2])
print(f"compat: {passed} of {len(outcomes)} passed (at least {minimum} must)")
sys.exit(0 if passed >= minimum else 1)
PY
