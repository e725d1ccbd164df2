"""The API's paging (``DEFAULT_PAGINATION_CLASS``), in a module of its own: DRF imports it
while its own views module loads, so it may not import ``gridcenter.api``."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

# The furthest a page may start: more rows than any table holds, less than PostgreSQL's OFFSET takes.
MAX_OFFSET = 1_000_000_000


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``?limit=&offset=`` paging; a ``limit`` above ``API_MAX_PAGE_SIZE`` gets that many rows,
    ``limit=0`` (or none) the default. A value that is not a whole number from 0 to
    ``MAX_OFFSET`` is a 400 with the parameter's message (DRF's own paging reads it as none)."""

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    @property
    def default_limit(self) -> int:  # type: ignore[override]
        return min(api_settings.PAGE_SIZE or settings.API_MAX_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)

    def _number(self, request, name: str) -> int | None:
        value = request.query_params.get(name, "")
        if value == "":
            return None
        try:
            number = int(value)
        except ValueError:
            raise ValidationError({name: [_("A valid integer is required.")]}) from None
        if not 0 <= number <= MAX_OFFSET:
            message = _("Ensure this value is greater than or equal to {min_value}.").format(min_value=0)
            if number > 0:
                message = _("Ensure this value is less than or equal to {max_value}.").format(max_value=MAX_OFFSET)
            raise ValidationError({name: [message]})
        return number

    def get_limit(self, request) -> int:
        limit = self._number(request, self.limit_query_param)
        return min(limit, self.max_limit) if limit else self.default_limit

    def get_offset(self, request) -> int:
        return self._number(request, self.offset_query_param) or 0

    def get_schema_operation_parameters(self, view) -> list:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(minimum=0, maximum=MAX_OFFSET)
        return parameters
