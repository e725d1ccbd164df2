"""WSGI (gunicorn sync workers) against ASGI (uvicorn workers) for the same DRF views.

Each server runs the bench endpoints of bench/urls.py; wrk, from a second process on
the same machine, posts a validated JSON body over 32 connections. This is the
measurement behind serving HTTP from WSGI workers and only /ws/ from ASGI (README,
"Serving").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import free_port, wait_for, wrk_figure

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_DURATION", "10s")
WORKERS = os.environ.get("BENCH_WORKERS", "4")
BODY = '{"client_uuid": "0b8f8a9e-4a5d-4f1e-9a57-2b1f3c4d5e6f", "description": "路灯不亮", "lat": 28.31, "lng": 109.73}'

SERVERS = {
    "wsgi (gunicorn sync)": [str(BIN / "gunicorn"), "gridcenter.wsgi:application", "--workers", WORKERS],
    "asgi (uvicorn)": [str(BIN / "uvicorn"), "gridcenter.asgi:application", "--workers", WORKERS, "--no-access-log"],
}


def wrk(url: str) -> tuple[float, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        body = BODY.replace("\\", "\\\\").replace('"', '\\"')
        script.write(f'wrk.method = "POST"\nwrk.body = "{body}"\nwrk.headers["Content-Type"] = "application/json"\n')
    out = subprocess.run(
        ["wrk", "-t2", "-c32", "-d", DURATION, "--latency", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rate = float(wrk_figure(r"Requests/sec:\s+([\d.]+)", out))
    p50 = wrk_figure(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = wrk_figure(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, f"p50 {p50}, p99 {p99}" + (f", {errors.group(1)} errors" if errors else "")


def main() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", GRIDCENTER_ENV="development", DEBUG="0")
    print(f"wrk -t2 -c32 -d{DURATION}, {WORKERS} workers each, {os.cpu_count()} cores")
    for name, command in SERVERS.items():
        port = free_port()
        bind = ["--bind", f"127.0.0.1:{port}"] if "gunicorn" in command[0] else ["--port", str(port)]
        server = subprocess.Popen(
            command + bind, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for(port)
            time.sleep(1)
            for endpoint in ("bare", "postgis"):
                rate, latency = wrk(f"http://127.0.0.1:{port}/bench/{endpoint}/")
                print(f"{name:22} {endpoint:8} {rate:8.0f} req/s  {latency}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
