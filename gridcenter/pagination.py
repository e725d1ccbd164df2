"""The API's paging (``DEFAULT_PAGINATION_CLASS``), in a module of its own: DRF imports it
while its own views module loads, so it may not import ``gridcenter.api``."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination
from rest_framework.settings import api_settings


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``?limit=&offset=`` paging; a ``limit`` above ``API_MAX_PAGE_SIZE`` gets that many rows."""

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    @property
    def default_limit(self) -> int:  # type: ignore[override]
        return min(api_settings.PAGE_SIZE or settings.API_MAX_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
