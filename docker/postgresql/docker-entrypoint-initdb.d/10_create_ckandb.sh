#!/bin/sh
# First start of the database volume only (the image runs initdb.d scripts
# on an empty data directory): CKAN's role and its database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v ckan_user="$CKAN_DB_USER" -v ckan_password="$CKAN_DB_PASSWORD" -v ckan_db="$CKAN_DB" <<'EOSQL'
CREATE ROLE :"ckan_user" NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD :'ckan_password';
CREATE DATABASE :"ckan_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
EOSQL
