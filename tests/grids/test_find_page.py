"""The public page "find my grid worker"."""

from __future__ import annotations

import re

from django.conf import settings

from tests.grids.conftest import PRIVATE_PHONE, PUBLIC_PHONE


def test_the_find_page_is_public_and_carries_no_personal_data(small_city, client):
    response = client.get("/find/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="findmap"' in html
    # Nothing personal in the page: contacts come only from the public locate API.
    for private in (PRIVATE_PHONE, PUBLIC_PHONE, "李保密", "张公示", "t-private", "t-lead"):
        assert private not in html
    assert "/api/v1/grids/locate/" in html


def test_the_find_page_uses_the_tile_setting_and_only_local_assets(small_city, client):
    html = client.get("/find/").content.decode()
    assert settings.MAP_TILE_URL in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    # The grid polygons come from our own API, so the map works with no tile server.
    assert "/api/v1/grids/geojson/" in html


def test_the_find_page_speaks_chinese_by_default(small_city, client):
    html = client.get("/find/").content.decode()
    assert "网格员" in html
