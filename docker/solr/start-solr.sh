#!/bin/sh
# Start Solr with the `ckan` core.  The core is created from the image's
# configset on first start (solr-precreate, as ckan/ckan-solr does); on
# later starts its schema, kept in the solr_data volume, is replaced by the
# image's, so that a rebuilt image brings new fields to an existing index
# (then re-index: docker compose exec ckan ckan -c $CKAN_INI search-index rebuild).
set -eu
core=/var/solr/data/ckan/conf
if [ -d "$core" ]; then
    rm -f "$core/managed-schema"
    cp "$SOLR_CONFIG_DIR/ckan/conf/managed-schema.xml" "$core/managed-schema.xml"
fi
exec solr-precreate ckan "$SOLR_CONFIG_DIR/ckan"
