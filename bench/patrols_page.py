"""The report page (/m/report/) on slow 3G in headless Chromium: bytes on the wire, time to interactive."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from django.conf import settings

from bench.patrols_setup import ROOT, database_url, gunicorn, stop
from bench.servers import free_port, wait_for

SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
TARGET_FIRST, TARGET_REPEAT = 500_000, 100_000


class CountingProxy:
    """A TCP proxy that counts the bytes the server sends (what a phone downloads)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.down = 0
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        with self.lock:
            value, self.down = self.down, 0
        return value

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self.lock:
                        self.down += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


# scripts/setup.sh copies leaflet.markercluster.js without the source map it names, which
# the production static storage (hashed names) refuses; the bench adds the npm folder.
_SETTINGS = """
from gridcenter.settings import *  # noqa: F403

STATICFILES_DIRS = [*STATICFILES_DIRS, ("vendor/markercluster", {markercluster!r})]  # noqa: F405
"""


def production_env(port: int) -> dict:
    """Production settings, as deployed behind nginx, but on plain HTTP on this machine."""
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    markercluster = str(ROOT / "node_modules" / "leaflet.markercluster" / "dist")
    (static_root / "bench_patrols_settings.py").write_text(_SETTINGS.format(markercluster=markercluster))
    return {
        **os.environ,
        "PYTHONPATH": f"{static_root}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_patrols_settings",
        "GRIDCENTER_ENV": "production",
        # The bench's own key: the session it creates for the browser must be valid there.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(static_root / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "PROXY_COUNT": "0",
        "MAP_TILE_URL": f"http://127.0.0.1:{port}/no-tiles/{{z}}/{{x}}/{{y}}.png",
    }


def session_cookie(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": "127.0.0.1",
        "path": "/",
    }


def load(page, url: str, proxy: CountingProxy) -> dict:
    """Open ``url`` throttled: when the form answers, when the map has drawn, the bytes so far."""
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.mReady === true", timeout=120_000)
    interactive = page.evaluate("performance.now()")
    bytes_interactive = proxy.down
    page.wait_for_selector(".leaflet-marker-icon", state="attached", timeout=120_000)
    mapped = page.evaluate("performance.now()")
    page.wait_for_load_state("load", timeout=120_000)
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()"
    )
    return {"tti": interactive, "map": mapped, "bytes_tti": bytes_interactive, **timing}


def visit(browser, base: str, proxy: CountingProxy, cookie: dict) -> tuple[dict, dict]:
    """One phone, empty caches: the report page, then home, then the report page again."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="zh-CN",
        geolocation={"latitude": 28.3105, "longitude": 109.7364},
        permissions=["geolocation"],
    )
    context.add_cookies([cookie])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    url = f"{base}/m/report/"
    proxy.reset()
    first = load(page, url, proxy)
    page.wait_for_timeout(8000)  # the service worker installs and precaches behind
    first["bytes"] = proxy.reset()
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(f"{base}/m/", wait_until="load")  # as a worker would: home, then report again
    page.wait_for_timeout(3000)
    proxy.reset()
    repeat = load(page, url, proxy)
    page.wait_for_timeout(5000)
    repeat["bytes"] = proxy.reset()
    context.close()
    return first, repeat


def page_weight(runs: int = 3) -> None:
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from patrols.models import Patrol
    from patrols.services import stop_patrol

    user = get_user_model().objects.get(username="worker0001")
    for patrol in Patrol.objects.active().filter(worker=user):
        stop_patrol(user, patrol)  # the page as a worker not on patrol sees it (no GPS recording)
    port = free_port()
    env = production_env(port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = gunicorn(port, env)
    proxy = None
    results = []
    try:
        wait_for(port)
        proxy = CountingProxy(port)
        base = f"http://127.0.0.1:{proxy.port}"
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for _ in range(runs):
                results.append(visit(browser, base, proxy, session_cookie(user)))
            browser.close()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    finally:
        if proxy:
            proxy.close()
        stop(server)
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

    def median(which: int, key: str) -> float:
        return statistics.median(run[which][key] for run in results)

    def spread(which: int, key: str) -> str:
        values = sorted(run[which][key] / 1000 for run in results)
        return f"{values[0]:.1f}–{values[-1]:.1f}"

    def line(name: str, which: int, target: int) -> str:
        weight = median(which, "bytes")
        verdict = "under" if weight < target else "OVER"
        return (
            f"  {name}: {weight / 1024:,.1f} KiB on the wire ({verdict} the {target // 1000} KB target), "
            f"{median(which, 'bytes_tti') / 1024:,.1f} KiB of it before the form answers; "
            f"interactive at {median(which, 'tti') / 1000:.1f} s ({spread(which, 'tti')}), "
            f"map drawn at {median(which, 'map') / 1000:.1f} s, load event {median(which, 'load') / 1000:.1f} s"
        )

    print(f"  /m/report/ on Slow 3G (2,000 ms latency, 50 KB/s), production static files, median of {runs} phones:")
    print(line("first load (empty caches, incl. the service worker's precache)", 0, TARGET_FIRST))
    print(line("repeat load (HTTP cache + service worker)", 1, TARGET_REPEAT))
