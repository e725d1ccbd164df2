#!/usr/bin/env bash
# Everything `make run` and `make test` need on a fresh machine, idempotent and quick
# when nothing changed: system packages, services, the virtualenv, front-end assets,
# the database, migrations, translations and static files.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- System packages (Debian) ---------------------------------------------------
# libpq-dev, gcc and the Python headers build psycopg2 from source; docker-compose
# validates docker-compose.yml in the deployment tests (no Docker engine needed).
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
SYSTEM_PACKAGES=(postgresql-15-postgis-3 gdal-bin libgdal-dev libproj-dev binutils gettext nginx chromium fonts-noto-cjk wrk
                 libpq-dev gcc libc6-dev docker-compose)
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v npm >/dev/null || missing+=(npm)
if command -v "$PYTHON" >/dev/null && ! "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  missing+=("$(basename "$(command -v "$PYTHON")")-dev")  # Debian's headers of that Python, e.g. python3.11-dev
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# --- Services: start the local ones that are down ----------------------------------
local_url() { [ -z "${1:-}" ] || [[ "$1" == *"@127.0.0.1"* || "$1" == *"@localhost"* || "$1" == *"://127.0.0.1"* || "$1" == *"://localhost"* ]]; }
if local_url "${DATABASE_URL:-}" && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL"
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432: start it (sudo pg_ctlcluster 15 main start)" >&2; exit 1
  fi
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if local_url "${REDIS_URL:-}" && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  command -v redis-server >/dev/null || { echo "Redis is not installed: apt-get install redis-server" >&2; exit 1; }
  mkdir -p var/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$PWD/var/redis" --logfile "$PWD/var/redis/redis.log"
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# --- Python virtualenv ------------------------------------------------------------
# Installed from the lock (every package pinned with its hashes; `make lock` makes it),
# again whenever a lock file is newer than the last install. Packages that the lock no
# longer lists are removed first, so the virtualenv is exactly the lock.
if [ ! -x .venv/bin/python ]; then
  say "creating the virtualenv (.venv)"
  "$PYTHON" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ requirements.lock -nt .venv/.installed ] || [ requirements-dev.lock -nt .venv/.installed ]; then
  say "installing Python packages (requirements-dev.lock)"
  unlisted=$(.venv/bin/python - requirements-dev.lock <<'PY'
import re
import sys
from importlib import metadata

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

text = open(sys.argv[1], encoding="utf-8").read()
locked = {norm(name) for name in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.MULTILINE)}
installed = {norm(dist.metadata["Name"]) for dist in metadata.distributions()}
print(" ".join(sorted(installed - locked - {"pip", "setuptools", "wheel"})))
PY
)
  if [ -n "$unlisted" ]; then
    .venv/bin/pip uninstall --quiet --yes $unlisted
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
  touch .venv/.installed
fi

# --- Front-end assets (from the npm registry, served by the app itself) ---------------
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  say "installing front-end assets"
  npm ci --no-audit --no-fund --silent
  touch node_modules/.installed
fi
mkdir -p var/vendor/echarts var/vendor/markercluster var/vendor/leaflet-heat
cp node_modules/echarts/dist/echarts.min.js var/vendor/echarts/
# The whole dist folder: the manifest storage of production follows the source-map links.
cp node_modules/leaflet.markercluster/dist/* var/vendor/markercluster/
cp node_modules/leaflet.heat/dist/leaflet-heat.js var/vendor/leaflet-heat/

# --- Database, translations, static files ------------------------------------------
PY=.venv/bin/python
$PY manage.py ensure_database
$PY manage.py migrate --noinput -v 0
$PY manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules
$PY manage.py collectstatic --noinput -v 0
say "set-up done"
