"""Case reports under load: POST /api/v1/incidents/ against a bare DRF endpoint, list and detail.

Runs on a database of its own (``<DATABASE_URL name>_bench``, migrated and filled here:
a 10 × 10 grid map, a grid worker and a dispatcher with tokens, a few thousand cases), so
the demo database is never touched. gunicorn serves ``bench.settings`` (our API plus the
bare endpoints of bench/urls.py) with the write rate limit lifted; wrk, from a second
process, sends reports with a fresh ``client_uuid`` and a random point each, over
``BENCH_CONNECTIONS`` connections, then the same body to the bare endpoint (the ratio is
our overhead), then the list and a case detail; then reports with a 2 MB phone photo.
SQL queries per request are counted in a separate process with the same code.

    python -m bench incidents     (BENCH_DURATION=10s BENCH_WORKERS=4 BENCH_CONNECTIONS=16)

The load (wrk's scripts and figures) is in ``bench/incidents_wrk.py``, the database side
(run in a child process) in ``bench/incidents_fixture.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.incidents_fixture import phone_photo
from bench.incidents_wrk import DURATION, GET_LUA, LUA, line, wrk
from bench.servers import free_port, server_log, wait_for

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKERS = os.environ.get("BENCH_WORKERS", "4")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PHOTO_CONNECTIONS = int(os.environ.get("BENCH_PHOTO_CONNECTIONS", "4"))


def bench_database_url() -> str:
    from django.conf import settings

    parts = urlsplit(settings.DATABASE_URL)
    name = parts.path.lstrip("/") or "gridcenter"
    return urlunsplit(parts._replace(path="/" + name + "_bench"))


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def helper(env: dict, command: str) -> dict:
    """Run one command of ``bench.incidents_fixture`` on the bench database; its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.incidents_fixture", command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    url = bench_database_url()
    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings"),
        GRIDCENTER_ENV="development",
        DEBUG="0",
        API_WRITE_RATE="10000000/min",  # measure the endpoint, not the rate limit
        MEDIA_ROOT=str(media),
        DB_CONN_MAX_AGE="600",
    )
    started = time.perf_counter()
    manage(env, "ensure_database")
    manage(env, "migrate", "--noinput")
    fixture = helper(env, "prepare")
    name = urlsplit(url).path.lstrip("/")
    print(f"database {name}: {fixture['cases']} cases ({time.perf_counter() - started:.0f} s to prepare)")
    queries = helper(env, "queries")
    photo = media / "phone.jpg"
    size = phone_photo(photo)

    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "gridcenter.wsgi:application",
        "--workers",
        WORKERS,
        "--bind",
        f"127.0.0.1:{port}",
    ]
    log = server_log("gunicorn")
    with log.open("ab") as output:  # the server keeps its own copy of the descriptor
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for(port)
        time.sleep(1)
        measure(f"http://127.0.0.1:{port}", env, fixture, queries, photo, size)
    except BaseException:
        print(f"gunicorn's log: {log}", file=sys.stderr)
        raise
    else:
        log.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["rm", "-rf", str(media)], check=False)


def measure(base: str, env: dict, fixture: dict, queries: dict, photo: Path, size: int) -> None:
    """Reports (against the bare endpoints), the list and a detail, then reports with a photo."""
    print(f"gunicorn sync, {WORKERS} workers, {os.cpu_count()} cores; wrk -t2 -c{CONNECTIONS} -d{DURATION}")
    token = fixture["worker_token"]
    wrk(f"{base}/api/v1/incidents/", LUA, CONNECTIONS, token)  # warm up every worker
    report = wrk(f"{base}/api/v1/incidents/", LUA, CONNECTIONS, token)
    bare = wrk(f"{base}/bench/bare/", LUA, CONNECTIONS, token)
    postgis = wrk(f"{base}/bench/postgis/", LUA, CONNECTIONS, token)
    print(line("POST /api/v1/incidents/ (JSON)", report, queries["report_json"]))
    print(line("POST /bench/bare/ (DRF, no DB)", bare))
    print(line("POST /bench/postgis/ (DRF + 1 query)", postgis, 1))
    met = report["rate"] >= 200 and report["p95"] < 150
    print(f"{'':34} ours / bare: {report['rate'] / bare['rate']:.2f} of the rate;", end=" ")
    print(f"target ≥ 200 reports/s at p95 < 150 ms: {'met' if met else 'NOT met'}")
    dispatcher = fixture["dispatcher_token"]
    listing = wrk(f"{base}/api/v1/incidents/?limit=50", GET_LUA, CONNECTIONS, dispatcher)
    detail = wrk(f"{base}/api/v1/incidents/{fixture['detail_id']}/", GET_LUA, CONNECTIONS, dispatcher)
    print(line("GET /api/v1/incidents/?limit=50", listing, queries["list"]))
    print(line(f"GET /api/v1/incidents/<id>/ ({fixture['detail_events']} events)", detail, queries["detail"]))
    print(f"with a {size / 1e6:.1f} MB 4000×3000 phone photo per report, wrk -c{PHOTO_CONNECTIONS}:")
    with_photo = wrk(f"{base}/api/v1/incidents/", LUA, PHOTO_CONNECTIONS, token, str(photo))
    print(line("POST /api/v1/incidents/ + photo", with_photo, queries["report_photo"]))
    print(f"{'':34} in one process: {json.dumps(helper(env, 'photo_profile'))}")


if __name__ == "__main__":
    import django

    django.setup()
    main()
