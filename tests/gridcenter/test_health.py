"""GET /healthz: a real round trip to PostgreSQL, Redis and a Celery worker."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridcenter.tasks import ping_task

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_task_makes_the_round_trip_through_a_real_worker(celery_worker_process):
    assert ping_task.apply_async(ignore_result=False).get(timeout=10) == "pong"


@pytest.mark.slow
def test_healthy_when_every_service_answers(client, db, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "celery": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_unhealthy_names_redis_and_celery_when_redis_is_unreachable():
    # Port 1 is closed: nothing listens there.
    env = dict(os.environ, REDIS_URL="redis://127.0.0.1:1/0", GRIDCENTER_ENV="development")
    script = (
        "import django; django.setup();"
        "from django.test import Client; import json;"
        "r = Client().get('/healthz'); print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["database"] == "ok"
    assert answer["body"]["redis"].startswith("error:")
    assert answer["body"]["celery"].startswith("error:")
    assert answer["body"]["failed"] == ["celery", "redis"]


def test_unhealthy_names_celery_when_no_worker_answers(client, db, settings):
    # No worker listens on this queue, so the ping task is never taken.
    ping_task.app.conf.task_default_queue = "nobody-listens-here"
    try:
        response = client.get("/healthz")
    finally:
        ping_task.app.conf.task_default_queue = "celery"
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["redis"] == "ok"
    assert "no worker answered" in body["celery"]
    assert body["failed"] == ["celery"]


def test_only_get_is_allowed(client, db):
    assert client.post("/healthz").status_code == 405


# --- The container health checks call 127.0.0.1, which production hosts refuse -------------
PRODUCTION_HOST = "grid.example.gov.cn"


@pytest.fixture
def production_hosts(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [PRODUCTION_HOST]
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.slow
def test_the_container_health_check_is_answered_under_production_hosts(
    client, db, celery_worker_process, production_hosts
):
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8001")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "celery": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_failing_service_is_reported_to_the_container_health_check(client, db, production_hosts):
    ping_task.app.conf.task_default_queue = "nobody-listens-here"
    try:
        response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    finally:
        ping_task.app.conf.task_default_queue = "celery"
    assert response.status_code == 503
    assert response.json()["failed"] == ["celery"]


@pytest.mark.parametrize("path", ["/", "/healthz/", "/healthz/x", "/HEALTHZ", "/admin/", "/api/v1/me/"])
def test_every_other_path_keeps_the_host_check(client, db, production_hosts, path):
    assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 400


def test_allowed_hosts_are_still_redirected_to_https(client, db, production_hosts):
    response = client.get("/", HTTP_HOST=PRODUCTION_HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{PRODUCTION_HOST}/"


def test_health_is_answered_without_the_host_check_under_production_settings(db, tmp_path):
    """The real production settings, in a process of their own: / is refused (with the site's
    400 page, whose styles need the static files collected as production collects them),
    /healthz answers."""
    from urllib.parse import quote

    from django.db import connection

    test_db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(
        GRIDCENTER_ENV="production",
        SECRET_KEY="k" * 20 + "0123456789abcdefghijABCDEFGHIJ-_!@#",
        ALLOWED_HOSTS=PRODUCTION_HOST,
        DATABASE_URL="postgis://{}:{}@{}:{}/{}".format(
            *(quote(str(test_db[key] or ""), safe="") for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME"))
        ),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr[-3000:]
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; c = Client(HTTP_HOST='127.0.0.1');"
        "h = c.get('/healthz'); r = c.get('/');"
        "print(json.dumps({'healthz': [h.status_code, h['Content-Type'], h.json()], 'root': r.status_code}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    status, content_type, body = answer["healthz"]
    assert status in {200, 503} and content_type == "application/json"
    assert body["database"] == "ok" and body["redis"] == "ok"
    assert answer["root"] == 400
