"""Field work: track-point ingestion from 2,018 phones, and the phone's report page on slow 3G.

1. Track upload. The demo city (2,018 grid workers, in its own database
   ``BENCH_PATROLS_DB``, written once and kept) gets one open patrol per worker. A
   gunicorn server (``BENCH_WORKERS`` sync workers, persistent database connections)
   then takes, over HTTP with token authentication:
   - the real schedule: every worker sends a batch of 30 points every 30 s, each at its
     own phase, from ``BENCH_PATROLS_CLIENTS`` client threads (keep-alive connections)
     for ``BENCH_PATROLS_SECONDS`` — points/s ingested, latency, lag behind the schedule;
   - saturation: wrk with as many batches as the server takes (``BENCH_DURATION``),
     rotating through the workers — the capacity in points/s and the headroom over the
     2,018 points/s the schedule needs.
   The client runs on the same machine as the server (and PostgreSQL): its CPU is the
   server's loss, so the figures are a floor.
2. The report page (/m/report/) in headless Chromium under Chrome's "Slow 3G" profile
   (CDP Network.emulateNetworkConditions: 2,000 ms latency, 50,000 B/s each way), served
   as in production (gunicorn, WhiteNoise with compressed, hashed static files). Bytes
   are counted on the wire by a TCP proxy in front of the server (every response byte,
   headers included, the service worker's fetches too): the first load (empty caches),
   then a repeat load (HTTP cache and service worker). Time to interactive is when the
   form answers (report.js has wired it: ``window.mReady``), from the navigation start;
   the map (Leaflet) arrives later and is reported apart; figures are the median of three
   phones (fresh browser contexts). Map tiles are not counted: they
   come from the tile server, not from this application (a local URL that answers 404
   stands in for it).

The set-up is in ``bench/patrols_setup.py``, the track upload in ``bench/patrols_upload.py``
and the report page in ``bench/patrols_page.py``.
"""

from __future__ import annotations

import os
import time

from bench.databases import use_database
from bench.patrols_page import page_weight
from bench.patrols_setup import DATABASE, SERVER_WORKERS, database_url, gunicorn, prepare_phones, stop
from bench.patrols_upload import saturation, scheduled
from bench.servers import free_port, wait_for


def main() -> None:
    use_database(DATABASE)
    phones = prepare_phones()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GRIDCENTER_ENV": "development",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    print(f"  gunicorn {SERVER_WORKERS} sync workers, {os.cpu_count()} cores shared with the clients and PostgreSQL")
    server = gunicorn(port, env)
    try:
        wait_for(port)
        time.sleep(1)
        scheduled(port, phones)
        saturation(port, phones)
    finally:
        stop(server)
    page_weight()
