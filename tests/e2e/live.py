"""What the live-update browser tests share (with the ``daphne`` fixture of conftest.py): a
domain call made "elsewhere" (another thread: Playwright's event loop runs in this one), and a
signed-in page opened once its live channel is up."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from django.test import Client


def elsewhere(function, *args, **kwargs):
    """A domain call in another thread: Playwright's event loop runs in this one, and
    publishing after commit must not run inside a running loop."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=30)


def signed_in_context(browser, daphne, user, **options):
    """A browser context with ``user``'s session (``options`` as Playwright's ``new_context``)."""
    client = Client()
    client.force_login(user)
    options.setdefault("viewport", {"width": 1440, "height": 900})
    options.setdefault("locale", "zh-CN")
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": daphne.url}])
    return context


def open_as(browser, daphne, user, path: str, **options):
    """A page of ``user`` at ``path``, returned once its user channel (/ws/user/) said hello."""
    page = signed_in_context(browser, daphne, user, **options).new_page()
    frames: list[str] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(str(payload))))
    page.goto(f"{daphne.url}{path}")
    deadline = time.monotonic() + 15
    while not any('"hello"' in frame for frame in frames):
        assert time.monotonic() < deadline, "the live channel did not open"
        page.wait_for_timeout(50)
    page.evaluate("window.notReloaded = true")
    return page
