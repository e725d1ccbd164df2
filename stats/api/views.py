"""GET /api/v1/stats/breakdown/: the cases you may see, counted by one or two dimensions."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import role_permission
from accounts.roles import CENTRE_ROLES, DEPARTMENT_ROLES
from gridcenter.api import BaseAPIView
from stats.api.serializers import BreakdownQuerySerializer, BreakdownSerializer
from stats.services import breakdown as service
from stats.services.query import parse

STATS_ROLES = CENTRE_ROLES | DEPARTMENT_ROLES


def breakdown_payload(user, query: service.Query) -> dict:
    result = service.breakdown(user, query)
    rows = []
    for row in result.rows:
        line: dict = {}
        for dim, found in zip(query.dims, row.items, strict=True):
            line[dim], line[f"{dim}_name"] = found.key, found.label
        line["count"] = row.count
        rows.append(line)
    return {
        "by": list(query.dims),
        "from": query.start,
        "to": query.end,
        "total": result.total,
        "figures": service.figures(user, query),
        "rows": rows,
    }


class BreakdownView(BaseAPIView):
    """Counts of the cases you may see (``visible_to``), reported in a period (at most
    ``STATS_MAX_DAYS`` days) and filtered like the case list, by one or two dimensions."""

    permission_classes = [role_permission(*STATS_ROLES)]

    @extend_schema(
        summary="Cases counted by one or two dimensions",
        parameters=[BreakdownQuerySerializer],
        responses={
            200: BreakdownSerializer,
            400: OpenApiResponse(description="Bad input: `{field: [messages]}` (dates, range, dimensions, filters)"),
            403: OpenApiResponse(description="Grid workers and people without a role"),
        },
    )
    def get(self, request: Request) -> Response:
        query = parse(request.query_params)
        return Response(BreakdownSerializer(breakdown_payload(request.user, query)).data)
