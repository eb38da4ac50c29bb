#!/bin/sh
# Write ckan.ini from the environment, migrate, create the theme groups, start.
set -eu
cd /srv/app
if [ ! -f ckan.ini ]; then
    ckan generate config ckan.ini >/dev/null
fi
ckan config-tool ckan.ini -f etc/portal-options.ini >/dev/null
ckan config-tool ckan.ini \
    "sqlalchemy.url=${CKAN_SQLALCHEMY_URL}" \
    "ckan.site_url=${CKAN_SITE_URL}" \
    "ckan.redis.url=${CKAN_REDIS_URL}" \
    "solr_url=${CKAN_SOLR_URL}" \
    "ckanext.learning.search.backend=${LEARNING_SEARCH_BACKEND:-solr}" \
    "ckan.storage_path=/var/lib/ckan" \
    "smtp.server=${CKAN_SMTP_SERVER:-}" \
    "smtp.starttls=${CKAN_SMTP_STARTTLS:-false}" \
    "smtp.user=${CKAN_SMTP_USER:-}" \
    "smtp.password=${CKAN_SMTP_PASSWORD:-}" \
    "smtp.mail_from=${CKAN_SMTP_MAIL_FROM:-}" \
    "ckanext.learning.review.reviewers=${LEARNING_REVIEWERS:-}" >/dev/null
printf 'from ckan.config.middleware import make_app\nfrom ckan.cli import CKANConfigLoader\napplication = make_app(CKANConfigLoader("/srv/app/ckan.ini").get_config())\n' > wsgi.py
until pg_isready -d "${CKAN_SQLALCHEMY_URL}" >/dev/null 2>&1; do sleep 1; done
ckan -c ckan.ini db upgrade
ckan -c ckan.ini learning init --no-demo
exec "$@"
