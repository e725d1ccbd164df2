"""Appeals and the scoring scheme in the evaluation API (/api/v1/evaluation/appeals/, …/scheme/).

Thin: who reads which appeal is ``evaluation.services.appeal_reads`` (the pages' rule); the
appeal, the decision and a new scheme version, with every rule and error of theirs, are
``evaluation.services.appeals`` and ``schemes`` (400 with field messages, 403, 404, 409).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from evaluation.api import examples
from evaluation.api.serializers import (
    AppealCreateSerializer,
    AppealSerializer,
    AppealsQuerySerializer,
    DecisionSerializer,
    SchemeSerializer,
    SchemeVersionSerializer,
)
from evaluation.api.views import query
from evaluation.models import Scheme
from evaluation.periods import parse_period
from evaluation.services import appeal_reads, appeals, schemes
from gridcenter.api import BaseAPIView
from gridcenter.errors import PermissionDeniedError
from gridcenter.schema import ErrorSerializer

RESPONSES = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad input: `{field: [messages]}`; nothing was changed"),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="No such appeal, or not one you may read"),
    409: OpenApiResponse(ErrorSerializer, description="Already appealed, or already decided"),
}
APPEAL_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The appeal's id")


def responses(*codes: int) -> dict:
    return {code: RESPONSES[code] for code in codes}


class AppealsView(BaseAPIView):
    @extend_schema(
        summary="The appeals you read (a head: their department's; the centre: all)",
        description="Newest first; `?period=YYYY-MM` and `?state=pending|upheld|dismissed` filter them.",
        parameters=[AppealsQuerySerializer],
        responses={200: AppealSerializer(many=True), **responses(400, 401, 403)},
        examples=examples.APPEALS,
    )
    def get(self, request: Request) -> Response:
        params = query(AppealsQuerySerializer, request)
        period = parse_period(params["period"]) if params.get("period") else None
        found = appeal_reads.listed(request.user, period=period, state=params.get("state"))
        return Response(AppealSerializer(found, many=True).data)

    @extend_schema(
        summary="A department head appeals one counted item of a published month",
        description="Within 5 working days of the month's publication; one round behind the department's "
        "`shirked`, `overdue_open` or `rework` figure in the month's newest version.",
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, **responses(400, 401, 403, 409)},
        examples=examples.APPEAL_CREATE,
    )
    def post(self, request: Request) -> Response:
        serializer = AppealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = appeals.appeal(
            request.user,
            parse_period(data["period"]),
            figure=data["figure"],
            case=data["case"],
            round_no=data.get("round_no"),
            reason=data["reason"],
            evidence=data["evidence"],
        )
        return Response(AppealSerializer(appeal_reads.get(request.user, made.pk)).data, status=status.HTTP_201_CREATED)


class AppealDetailView(BaseAPIView):
    @extend_schema(
        summary="One appeal",
        description="404 for an appeal you may not read.",
        parameters=[APPEAL_ID],
        responses={200: AppealSerializer, **responses(401, 403, 404)},
        examples=examples.APPEAL,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(AppealSerializer(appeal_reads.get(request.user, pk)).data)


class AppealDecisionView(BaseAPIView):
    @extend_schema(
        summary="A leader upholds or dismisses a pending appeal",
        description="Upheld: the month is republished as a new version without the item (`result_version`). "
        "Of two leaders deciding at once, one wins and the other gets 409.",
        parameters=[APPEAL_ID],
        request=DecisionSerializer,
        responses={200: AppealSerializer, **responses(400, 401, 403, 404, 409)},
        examples=examples.DECISION,
    )
    def post(self, request: Request, pk: int) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decided = appeals.decide_appeal(request.user, pk, uphold=data["uphold"], note=data["note"])
        return Response(AppealSerializer(appeal_reads.get(request.user, decided.pk)).data)


class SchemeView(BaseAPIView):
    """Leaders and administrators only (403 for everyone else)."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not schemes.may_edit(request.user):
            raise PermissionDeniedError(_("Only a leader or an administrator may read or change the scoring scheme."))

    @extend_schema(
        summary="The scoring scheme: the version in force and every version (newest first)",
        description="Leaders and administrators only. The first item is the version in force.",
        responses={200: SchemeSerializer(many=True), **responses(401, 403)},
        examples=examples.SCHEME,
    )
    def get(self, request: Request) -> Response:
        schemes.current_row()
        versions = Scheme.objects.select_related("created_by").order_by("-version")
        return Response(SchemeSerializer(versions, many=True).data)

    @extend_schema(
        summary="Add a version of the scheme (a version is never changed)",
        description="Published months keep the version they were computed with; the month to date uses the new one.",
        request=SchemeVersionSerializer,
        responses={201: SchemeSerializer, **responses(400, 401, 403)},
        examples=examples.SCHEME_VERSION,
    )
    def post(self, request: Request) -> Response:
        serializer = SchemeVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        added = schemes.add_version(request.user, note=values.pop("note"), **values)
        return Response(SchemeSerializer(added).data, status=status.HTTP_201_CREATED)
