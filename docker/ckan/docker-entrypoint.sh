#!/bin/sh
# Start-up of every container of the CKAN image (web, jobs worker, harvest
# consumers), run as the unprivileged `ckan` user:
#   1. the portal's options (etc/portal-options.ini, as `make run` merges
#      them) and the settings that come from the environment (docker/.env) go
#      into CKAN_INI, a file of ckan's own in a directory it cannot write;
#      CKAN itself reads CKAN_SQLALCHEMY_URL, CKAN_SITE_URL, CKAN_REDIS_URL,
#      CKAN_SOLR_URL, CKAN_STORAGE_PATH, CKAN_SMTP_* and
#      CKAN_MAX_UPLOAD_SIZE_MB (ckan.config.environment.CONFIG_FROM_ENV_VARS);
#   2. wait for PostgreSQL;
#   3. with CKAN_MIGRATE=true (the web container only): migrate CKAN and the
#      plugins, create the theme groups (no demo content);
#   4. exec the command (gunicorn, `ckan learning worker`, a harvest consumer).
set -eu

: "${APP_DIR:=/srv/app}"
: "${CKAN_INI:=$APP_DIR/ckan.ini}"
: "${CKAN_SECRET_KEY:?set CKAN_SECRET_KEY in docker/.env (README: Production with Docker)}"
: "${CKAN_SQLALCHEMY_URL:?set CKAN_SQLALCHEMY_URL}"
case "$CKAN_SECRET_KEY" in
    *%*) echo "[entrypoint] CKAN_SECRET_KEY must not contain %" >&2; exit 1 ;;
    change-me*) echo "[entrypoint] CKAN_SECRET_KEY is still the example value" >&2; exit 1 ;;
esac

# The plugins of the portal (etc/portal-options.ini, baked into the image),
# plus ckanext-harvest's when the `harvest` compose profile is on.
plugins=$(sed -n 's/^ckan\.plugins *= *//p' "$APP_DIR/etc/portal-options.ini")
case ",${COMPOSE_PROFILES:-}," in
    *,harvest,*) plugins="$plugins harvest ckan_harvester" ;;
esac

# (one call: the merge file is applied first, then the options)
ckan config-tool "$CKAN_INI" -f "$APP_DIR/etc/portal-options.ini" \
    "SECRET_KEY=${CKAN_SECRET_KEY}" \
    "ckan.storage_path=${CKAN_STORAGE_PATH:-/var/lib/ckan}" \
    "ckan.plugins=${plugins}" \
    "ckanext.learning.search.backend=${LEARNING_SEARCH_BACKEND:-solr}" \
    "ckanext.learning.upload.max_size_mb=${CKAN_MAX_UPLOAD_SIZE_MB:-100}" \
    "ckanext.learning.review.reviewers=${LEARNING_REVIEWERS:-}" \
    "ckanext.learning.security.proxy_hops=${LEARNING_PROXY_HOPS:-0}" \
    "ckan.harvest.mq.type=redis" \
    "debug=${CKAN_DEBUG:-false}" >/dev/null

tries=${CKAN_DB_WAIT:-60}
until pg_isready -q -d "$CKAN_SQLALCHEMY_URL"; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { echo "[entrypoint] PostgreSQL did not answer" >&2; exit 1; }
    sleep 1
done

if [ "${CKAN_MIGRATE:-false}" = true ]; then
    ckan -c "$CKAN_INI" db upgrade
    ckan -c "$CKAN_INI" learning init --no-demo
fi

exec "$@"
