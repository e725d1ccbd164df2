"""The field-work API: thin views over ``patrols.services`` (the domain layer)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import role_permission
from accounts.roles import CENTRE_ROLES, WALL_SCREEN_ROLES, Role, has_role
from gridcenter.api import BaseAPIView, ScopedViewSet, stored_image_response
from grids.selectors import grid_ids_of
from grids.services import zoom_to_tolerance
from incidents.api.serializers import CaseListSerializer
from incidents.choices import CaseStatus
from incidents.models import Case
from patrols import selectors, services
from patrols.api import serializers as s
from patrols.filtersets import DiaryFilterSet, DirectiveFilterSet, PatrolFilterSet
from patrols.limits import DAILY_PATROL_MINUTES
from patrols.models import DiaryEntry, DiaryPhoto, Directive, DirectiveRecipient, Patrol, TrackPoint

FIELD_ROLES = role_permission(Role.GRID_WORKER, *CENTRE_ROLES)
CENTRE = role_permission(*CENTRE_ROLES)
WORKERS = role_permission(Role.GRID_WORKER)
MAP_ROLES = role_permission(*WALL_SCREEN_ROLES)
GEOJSON = "application/geo+json"

ERRORS = {
    400: OpenApiResponse(description="Bad input: `{field: [messages]}`; nothing was changed"),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="No such object, or not one you may see"),
    409: OpenApiResponse(description="The current state does not allow this"),
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- patrols ------------------------------------------------------------------------------------------


class PatrolViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Patrols (巡查) with their GPS tracks. Grid workers see their own; the centre sees all.

    A patrol is addressed by its id or by the ``client_uuid`` the phone gave it, so a
    phone that started it offline can send its points before it knows the id.
    """

    queryset = Patrol.objects.all()
    serializer_class = s.PatrolSerializer
    filterset_class = PatrolFilterSet
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+|[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return super().get_queryset().select_related("worker", "grid").prefetch_related("reports")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self) -> Patrol:
        ref = self.kwargs["pk"]
        lookup = {"pk": int(ref)} if ref.isdigit() else {"client_uuid": ref}
        patrol = self.get_queryset().filter(**lookup).first()
        if patrol is None:
            raise NotFound()
        return patrol

    def _answer(self, patrol: Patrol, code: int = status.HTTP_200_OK) -> Response:
        patrol = self.get_queryset().get(pk=patrol.pk)
        return Response(s.PatrolSerializer(patrol, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary="List patrols (yours; the centre: all)", responses={200: s.PatrolSerializer(many=True)})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A patrol", responses={200: s.PatrolSerializer, **_errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.PatrolSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Start a patrol (idempotent on client_uuid)",
        request=s.PatrolStartSerializer,
        responses={
            201: s.PatrolSerializer,
            200: OpenApiResponse(s.PatrolSerializer, description="This client_uuid started a patrol before"),
            **_errors(400, 403, 409),
        },
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.PatrolStartSerializer, request.data)
        result = services.start_patrol(request.user, **data)
        return self._answer(result.patrol, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        methods=["GET"],
        summary="The patrol's track points, in sequence order",
        responses={200: s.TrackPointSerializer(many=True), **_errors(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Send a batch of track points (idempotent per seq; any order)",
        request=s.TrackBatchSerializer,
        responses={200: s.BatchResultSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def points(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            patrol = self.get_object()
            points = TrackPoint.objects.filter(patrol=patrol).order_by("seq")
            return Response(s.TrackPointSerializer(points, many=True).data)
        # The domain function checks every point (see ``add_track_points``): no serializer
        # field per value on the path that every phone takes every 30 seconds.
        points = request.data.get("points") if isinstance(request.data, dict) else None
        if not isinstance(points, list):
            raise ValidationError({"points": [_("Send a list of points.")]})
        result = services.add_track_points(request.user, pk, points)
        return Response(s.BatchResultSerializer(result, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Stop the patrol (stopping a stopped one changes nothing)",
        request=s.PatrolStopSerializer,
        responses={200: s.PatrolSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        data = _valid(s.PatrolStopSerializer, request.data)
        return self._answer(services.stop_patrol(request.user, pk, **data))

    @extend_schema(
        summary="Link a case you reported to this patrol (idempotent)",
        request=s.LinkReportSerializer,
        responses={200: s.PatrolSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reports(self, request: Request, pk: str) -> Response:
        data = _valid(s.LinkReportSerializer, request.data)
        link = services.link_report(request.user, pk, data["case"])
        return self._answer(link.patrol)


# --- diary --------------------------------------------------------------------------------------------------


class DiaryViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The patrol diary (民情日志): a grid worker's own entries; the centre sees all,
    enters paper diaries on a worker's behalf (代录), and leaders comment."""

    queryset = DiaryEntry.objects.all()
    serializer_class = s.DiaryEntrySerializer
    filterset_class = DiaryFilterSet
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("worker", "entered_by", "grid", "case")
            .prefetch_related("photos", Prefetch("comments", queryset=self._comments()))
        )

    @staticmethod
    def _comments():
        from patrols.models import DiaryComment

        return DiaryComment.objects.select_related("author")

    def _answer(self, entry: DiaryEntry, code: int = status.HTTP_200_OK) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(s.DiaryEntrySerializer(entry, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary="List diary entries (yours; the centre: all)")
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A diary entry with its photos and comments", responses={200: s.DiaryEntrySerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.DiaryEntrySerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Write a diary entry (idempotent on client_uuid); the centre may name a worker (代录)",
        request={"application/json": s.DiaryCreateSerializer, "multipart/form-data": s.DiaryCreateSerializer},
        responses={
            201: s.DiaryEntrySerializer,
            200: OpenApiResponse(s.DiaryEntrySerializer, description="This client_uuid was entered before"),
            **_errors(400, 403),
        },
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.DiaryCreateSerializer, request.data)
        result = services.create_diary_entry(request.user, **data)
        return self._answer(result.entry, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary="Comment on an entry (leaders)",
        request=s.CommentInSerializer,
        responses={201: s.DiaryEntrySerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk: str) -> Response:
        data = _valid(s.CommentInSerializer, request.data)
        comment = services.comment_diary_entry(request.user, int(pk), text=data["text"])
        return self._answer(comment.entry, status.HTTP_201_CREATED)


class DiaryPhotoViewSet(ScopedViewSet):
    """A diary photo (re-encoded, without EXIF) or its thumbnail, for people who see the entry."""

    queryset = DiaryPhoto.objects.all()
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return DiaryPhoto.objects.filter(entry__in=DiaryEntry.objects.visible_to(self.request.user))

    @extend_schema(summary="A diary photo", responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **_errors(404)})
    def retrieve(self, request: Request, pk: str) -> FileResponse:
        return stored_image_response(self.get_object().file.name)

    @extend_schema(summary="A diary photo's thumbnail", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, pk: str) -> FileResponse:
        return stored_image_response(self.get_object().thumbnail.name)


# --- directives -----------------------------------------------------------------------------------------


class DirectiveViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Directives (上级指令): grid workers see those sent to them, mark them read and reply;
    the centre sends them and follows the read receipts."""

    queryset = Directive.objects.all()
    serializer_class = s.DirectiveSerializer
    filterset_class = DirectiveFilterSet
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        directives = super().get_queryset().select_related("sender")
        mine = DirectiveRecipient.objects.filter(worker=user)
        directives = directives.prefetch_related(Prefetch("recipients", queryset=mine, to_attr="my_receipts"))
        if has_role(user, *CENTRE_ROLES):
            directives = directives.annotate(
                read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
                replied_count=Count("recipients", filter=Q(recipients__replied_at__isnull=False)),
            )
        return directives

    def _answer(self, directive_id: int, code: int = status.HTTP_200_OK) -> Response:
        directive = self.get_queryset().get(pk=directive_id)
        return Response(s.DirectiveSerializer(directive, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary="List directives (sent to you; the centre: all, with receipt counts)")
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A directive", responses={200: s.DirectiveSerializer, **_errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.DirectiveSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Send a directive (the centre); pushed live to every recipient",
        request={"application/json": s.DirectiveCreateSerializer, "multipart/form-data": s.DirectiveCreateSerializer},
        responses={201: s.DirectiveSerializer, **_errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.DirectiveCreateSerializer, request.data)
        directive = services.send_directive(request.user, **data)
        return self._answer(directive.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Mark as read (a recipient)", request=None, responses={200: s.DirectiveSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        services.mark_directive_read(request.user, int(pk))
        return self._answer(int(pk))

    @extend_schema(
        summary="Reply (a recipient; once)",
        request=s.ReplyInSerializer,
        responses={200: s.DirectiveSerializer, **_errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        data = _valid(s.ReplyInSerializer, request.data)
        services.reply_directive(request.user, int(pk), text=data["text"])
        return self._answer(int(pk))

    @extend_schema(
        summary="Read receipts and replies per recipient (the centre); ?read=false: who has not read it",
        parameters=[s.ReceiptQuerySerializer],
        responses={200: s.RecipientSerializer(many=True), **_errors(403, 404)},
    )
    @action(detail=True, methods=["get"], permission_classes=[CENTRE])
    def receipts(self, request: Request, pk: str) -> Response:
        directive = self.get_object()
        query = _valid(s.ReceiptQuerySerializer, request.query_params)
        rows = directive.recipients.select_related("worker__grid_worker", "directive").prefetch_related(
            "worker__grid_worker__grids"
        )
        if query["read"] is not None:
            rows = rows.filter(read_at__isnull=not query["read"])
        if query["replied"] is not None:
            rows = rows.filter(replied_at__isnull=not query["replied"])
        rows = rows.order_by("read_at", "worker__username")
        page = self.paginate_queryset(rows)
        context = {**self.get_serializer_context(), "now": timezone.now()}
        return self.get_paginated_response(s.RecipientSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Who has not read an urgent directive yet (the centre), oldest directive first",
        responses={200: s.UnreadUrgentSerializer(many=True), **_errors(403)},
    )
    @action(detail=False, methods=["get"], url_path="unread-urgent", permission_classes=[CENTRE])
    def unread_urgent(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.unread_urgent())
        return self.get_paginated_response(s.UnreadUrgentSerializer(page, many=True).data)

    def _photo(self, thumbnail: bool) -> FileResponse:
        directive = self.get_object()
        return stored_image_response((directive.photo_thumbnail if thumbnail else directive.photo).name)

    @extend_schema(summary="The directive's photo", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="photo", url_name="photo")
    def photo(self, request: Request, pk: str) -> FileResponse:
        return self._photo(thumbnail=False)

    @extend_schema(summary="The directive photo's thumbnail", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="photo/thumbnail", url_name="photo-thumbnail")
    def photo_thumbnail(self, request: Request, pk: str) -> FileResponse:
        return self._photo(thumbnail=True)


# --- coverage --------------------------------------------------------------------------------------------------


class CoverageView(BaseAPIView):
    """Patrol coverage per grid on a day (today by default): patrolled or not, minutes and
    distance. The centre sees every grid; a grid worker their own grids."""

    permission_classes = [FIELD_ROLES]

    @extend_schema(
        summary="Patrol coverage per grid on a day",
        parameters=[s.CoverageQuerySerializer],
        responses={200: s.CoverageSerializer, **_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = _valid(s.CoverageQuerySerializer, request.query_params)
        day = query.get("date") or timezone.localdate()
        grid_ids = None if has_role(request.user, *CENTRE_ROLES) else sorted(grid_ids_of(request.user))
        items = services.grid_coverage(day, township=query.get("township"), grid_ids=grid_ids)
        shown = items if query["patrolled"] is None else [i for i in items if i.patrolled == query["patrolled"]]
        body = {
            "date": day,
            "min_minutes": DAILY_PATROL_MINUTES,
            "grids_total": len(items),
            "grids_patrolled": sum(1 for item in items if item.patrolled),
            "grids": shown,
        }
        return Response(s.CoverageSerializer(body).data)


class CoverageGeoJSONView(BaseAPIView):
    """The coverage layer of the wall-screen map: every grid's polygon with its patrol
    minutes, distance and level (none / short / done) on a day."""

    permission_classes = [MAP_ROLES]

    @extend_schema(
        summary="Coverage as GeoJSON (wall screen)",
        parameters=[s.CoverageMapQuerySerializer],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, **_errors(400, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = _valid(s.CoverageMapQuerySerializer, request.query_params)
        tolerance = zoom_to_tolerance(query["zoom"]) if "zoom" in query else 0.0
        text = services.coverage_geojson(query.get("date"), tolerance=tolerance, township=query.get("township"))
        response = HttpResponse(text, content_type=GEOJSON)
        response["Cache-Control"] = "private, max-age=30"
        return response


# --- the phone's own lists ------------------------------------------------------------------------------------


class TodayView(BaseAPIView):
    """The phone's home: your grids' coverage today, your open patrol, unread directives,
    cases waiting for your check on site and your open reports."""

    permission_classes = [WORKERS]

    @extend_schema(summary="Your day at a glance (grid workers)", responses={200: s.TodaySerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        patrol = selectors.active_patrol(user)
        body = {
            "grids": services.grid_coverage(grid_ids=sorted(grid_ids_of(user))),
            "min_minutes": DAILY_PATROL_MINUTES,
            "patrol": patrol,
            "unread_directives": selectors.unread_count(user),
            "to_verify": selectors.cases_to_verify(user).count(),
            "open_reports": selectors.my_reports(user).filter(status__in=CaseStatus.ACTIVE).count(),
        }
        return Response(s.TodaySerializer(body, context={"request": request, "now": timezone.now()}).data)


class _CaseListView(mixins.ListModelMixin, ScopedViewSet):
    queryset = Case.objects.none()  # for the schema; each list has its own query
    serializer_class = CaseListSerializer
    permission_classes = [WORKERS]

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(responses={200: CaseListSerializer(many=True)})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)


class MyReportsViewSet(_CaseListView):
    """The cases you reported (not errands), newest first."""

    def get_queryset(self):
        return selectors.my_reports(self.request.user, errands=False).select_related("lead_department")


class MyErrandsViewSet(_CaseListView):
    """The errands (代办) you filed for residents, newest first."""

    def get_queryset(self):
        return selectors.my_reports(self.request.user, errands=True).select_related("lead_department")


class ToVerifyViewSet(_CaseListView):
    """Resolved cases in your grids waiting for your check on site (核查), oldest first."""

    def get_queryset(self):
        return selectors.cases_to_verify(self.request.user).select_related("lead_department")
