# One image for web, ws, worker and beat (docker-compose.yml); the commands are the Procfile's.
# Front-end libraries, on a Node.js LTS release.
FROM node:24-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Python packages from the runtime lock, hashes required; psycopg2 is built from source
# against libpq, so the compiler and headers stay in this stage.
FROM python:3.11-slim-bookworm AS packages
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check --require-hashes -r /tmp/requirements.lock

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 GRIDCENTER_ENV=production PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 libgeos-c1v5 libproj25 gettext libpq5 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=packages /opt/venv /opt/venv
WORKDIR /app
COPY . .
COPY --from=assets /build/node_modules/echarts/dist/echarts.min.js var/vendor/echarts/
COPY --from=assets /build/node_modules/leaflet.markercluster/dist/ var/vendor/markercluster/
# Build-time only values: the running containers get their own from the environment.
RUN SECRET_KEY=build-only-key-build-only-key-build-only-key-0123456789 ALLOWED_HOSTS=build \
    sh -c "python manage.py compilemessages -v0 && python manage.py collectstatic --noinput -v0"
RUN useradd --system --uid 1000 gridcenter && mkdir -p var/media && chown -R gridcenter var
USER gridcenter
EXPOSE 8001 8002
