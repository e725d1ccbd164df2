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
