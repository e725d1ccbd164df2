"""The client address behind PROXY_COUNT proxies: the same rule for the login lockout and DRF's throttles."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from gridcenter.clientip import client_ip

CASES = [
    # (PROXY_COUNT, REMOTE_ADDR, X-Forwarded-For, the client)
    (0, "203.0.113.9", None, "203.0.113.9"),
    (0, "203.0.113.9", "10.1.1.1", "203.0.113.9"),  # no proxy: the header is the client's own words
    (1, "127.0.0.1", None, "127.0.0.1"),  # a direct call
    (1, "127.0.0.1", "198.51.100.4", "198.51.100.4"),
    (1, "127.0.0.1", "10.1.1.1, 198.51.100.4", "198.51.100.4"),  # forged left part ignored
    (1, "127.0.0.1", "10.1.1.1,198.51.100.4", "198.51.100.4"),
    (2, "10.0.0.2", "10.1.1.1, 198.51.100.4, 10.0.0.1", "198.51.100.4"),  # TLS terminator, then nginx
    (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
]


@pytest.mark.parametrize(("count", "remote", "forwarded", "expected"), CASES)
def test_the_client_is_the_nth_address_from_the_right(settings, count, remote, forwarded, expected):
    settings.PROXY_COUNT = count
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert client_ip(RequestFactory().get("/", **meta)) == expected


@pytest.mark.parametrize(("count", "remote", "forwarded", "expected"), CASES)
def test_drf_throttles_find_the_same_client(settings, monkeypatch, count, remote, forwarded, expected):
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", count)
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert SimpleRateThrottle.get_ident(None, Request(RequestFactory().get("/", **meta))) == expected


def test_a_garbage_header_falls_back_to_the_peer(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == "127.0.0.1"


def test_the_settings_agree(settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.PROXY_COUNT
    assert settings.AXES_CLIENT_IP_CALLABLE == "gridcenter.clientip.client_ip"


def test_nginx_appends_the_client_it_sees_in_every_proxied_location():
    """PROXY_COUNT=1 counts on nginx appending to the header, never passing the client's own on."""
    from pathlib import Path

    template = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.template").read_text()
    locations = template.count("proxy_pass ")
    assert locations >= 2
    assert template.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == locations
