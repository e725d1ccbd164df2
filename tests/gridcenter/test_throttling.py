"""The public endpoints limit anonymous callers per address."""

from django.core.cache import cache
from rest_framework.settings import api_settings

from gridcenter.api import PublicRateThrottle


def test_an_anonymous_caller_over_the_public_rate_gets_429(client, db, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "public", "3/min")
    # An address of its own, so no other test's calls count against it.
    address = {"REMOTE_ADDR": "192.0.2.77"}
    for ip in ("192.0.2.77", "192.0.2.78"):  # forget calls from an earlier run of this test
        cache.delete(PublicRateThrottle.cache_format % {"scope": "public", "ident": ip})
    statuses = [
        client.get("/api/v1/grids/locate/", {"lat": 28.3, "lng": 109.7}, **address).status_code for _ in range(4)
    ]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    # Another address is not affected.
    assert client.get("/api/v1/grids/locate/", {"lat": 28.3, "lng": 109.7}, REMOTE_ADDR="192.0.2.78").status_code != 429
