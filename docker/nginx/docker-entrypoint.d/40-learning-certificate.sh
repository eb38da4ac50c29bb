#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts: when no
# certificate is mounted (the nginx_certs volume is empty), make a
# self-signed one for the site's host name, as CKAN's own docker project
# does.  Replace it with a real one (see the README) before going public.
set -eu
cert=${NGINX_SSL_CERTIFICATE:?}
key=${NGINX_SSL_CERTIFICATE_KEY:?}
[ -s "$cert" ] && [ -s "$key" ] && exit 0
host=$(printf '%s' "${CKAN_SITE_URL:-https://localhost}" | sed -e 's|^[a-z]*://||' -e 's|[:/].*$||')
echo "$0: no certificate at $cert: making a self-signed one for $host"
case "$host" in
    *[!0-9.]*) san="DNS:$host" ;;
    *) san="IP:$host" ;;
esac
mkdir -p "$(dirname "$cert")" "$(dirname "$key")"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" \
    -addext "subjectAltName=$san" -keyout "$key" -out "$cert" 2>/dev/null
chmod 600 "$key"
