#!/usr/bin/env bash
# Render deploy/nginx.conf.template for this machine and run nginx in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
export NGINX_PREFIX="$PWD/var/nginx"
export HTTP_PORT="${HTTP_PORT:-8000}"
export WSGI_UPSTREAM="127.0.0.1:${WSGI_PORT:-8001}"
export ASGI_UPSTREAM="127.0.0.1:${ASGI_PORT:-8002}"
# The internal location of stored photos (used when MEDIA_ACCEL_REDIRECT is set).
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/var/media}"
mkdir -p "$NGINX_PREFIX/tmp"
# nginx's workers drop root privileges; they must still write their temp files.
chmod 1777 "$NGINX_PREFIX/tmp"
envsubst '${NGINX_PREFIX} ${HTTP_PORT} ${WSGI_UPSTREAM} ${ASGI_UPSTREAM} ${MEDIA_ROOT}' \
  < deploy/nginx.conf.template > "$NGINX_PREFIX/nginx.conf"
exec nginx -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -g 'daemon off;'
