"""The evaluation API (/api/v1/evaluation/): the months, a month's rows per kind of subject,
the rounds behind one figure. Thin: ``evaluation.selectors`` decides what the caller reads
(as on the pages and in the exports); ``evaluation.services.read`` computes it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from evaluation import columns, selectors
from evaluation.api import examples
from evaluation.api.serializers import (
    EvaluationRowSerializer,
    PeriodSerializer,
    RoundSerializer,
    RoundsQuerySerializer,
    RowsQuerySerializer,
)
from evaluation.periods import parse_period
from evaluation.services import read
from gridcenter.api import BaseAPIView
from gridcenter.errors import PermissionDeniedError

ERRORS = {
    400: OpenApiResponse(description="A malformed or future month, an unknown figure: `{field: [messages]}`"),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Your role reads no evaluation, or not this table"),
    404: OpenApiResponse(description="No such kind of subject, subject or version, or not one you may read"),
}
PATH = [
    OpenApiParameter("period", str, OpenApiParameter.PATH, description="The month, YYYY-MM"),
    OpenApiParameter(
        "subject", str, OpenApiParameter.PATH, description="departments, officers, townships (workers, centre, …)"
    ),
]


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def query(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def api_row(subject: str, row: dict) -> dict:
    """A row as read gives it, its key repeated under its own name (``code``, ``username``)."""
    found = {"key": row["key"], columns.key_name(subject): row["key"], **row}
    if found.get("band") is not None:
        found["band"] = str(found["band"])
    return found


class PeriodsView(BaseAPIView):
    @extend_schema(
        summary="The months of the evaluation, their state and version",
        responses={200: PeriodSerializer(many=True), **errors(401, 403)},
        examples=examples.PERIODS,
    )
    def get(self, request: Request) -> Response:
        if not selectors.may_read(request.user):
            raise PermissionDeniedError(_("Your role may not read the evaluation."))
        return Response(read.periods())


class RowsView(BaseAPIView):
    @extend_schema(
        summary="A month's rows of one kind of subject, in rank order",
        description="Every figure, rate, score, band and rank of `domain/evaluation.md`; only the rows you may read.",
        parameters=[*PATH, RowsQuerySerializer],
        responses={200: EvaluationRowSerializer(many=True), **errors(400, 401, 403, 404)},
        examples=examples.ROWS,
    )
    def get(self, request: Request, period: str, subject: str) -> Response:
        if not selectors.may_read(request.user):
            raise PermissionDeniedError(_("Your role may not read the evaluation."))
        version = query(RowsQuerySerializer, request).get("version")
        rows = selectors.visible_rows(request.user, parse_period(period), subject, version)
        return Response([api_row(subject, row) for row in rows])


class RoundsView(BaseAPIView):
    @extend_schema(
        summary="The handling rounds behind one figure of one subject",
        parameters=[*PATH, OpenApiParameter("key", str, OpenApiParameter.PATH), RoundsQuerySerializer],
        responses={200: RoundSerializer(many=True), **errors(400, 401, 403, 404)},
        examples=examples.ROUNDS,
    )
    def get(self, request: Request, period: str, subject: str, key: str) -> Response:
        if not selectors.may_read(request.user):
            raise PermissionDeniedError(_("Your role may not read the evaluation."))
        month = parse_period(period)
        selectors.check_key(request.user, subject, key)
        params = query(RoundsQuerySerializer, request)
        found = selectors.rounds_of(month, subject, key, params["figure"], params.get("version"))
        return Response(RoundSerializer(found, many=True).data)
