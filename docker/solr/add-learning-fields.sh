#!/bin/sh
# add-learning-fields.sh SCHEMA FIELDS: insert the file FIELDS (field types,
# fields and dynamic fields) into the Solr schema SCHEMA, before its
# </schema> line.  Run by docker/solr/Dockerfile on CKAN's schema.xml, and by
# tests/docker/test_solr_contract.py on the same file of the installed CKAN.
set -eu
schema=$1
fields=$2
line=$(grep -n '^</schema>' "$schema" | cut -d: -f1)
[ -n "$line" ] || { echo "add-learning-fields: no </schema> line in $schema" >&2; exit 1; }
if grep -q 'ckanext-learning' "$schema"; then
    echo "add-learning-fields: $schema already has the fields" >&2; exit 1
fi
{
    head -n "$((line - 1))" "$schema"
    cat "$fields"
    tail -n "+$line" "$schema"
} > "$schema.new"
mv "$schema.new" "$schema"
