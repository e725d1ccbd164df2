"""Directives (上级指令): sent by the centre, read and answered by grid workers."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import AuthenticatedRequest
from accounts.roles import CENTRE_ROLES, has_role
from gridcenter.api import ScopedViewSet, stored_image_response
from patrols import selectors, services
from patrols.api import serializers as s
from patrols.api.views.common import CENTRE, FIELD_ROLES, errors, valid
from patrols.filtersets import DirectiveFilterSet
from patrols.models import Directive, DirectiveRecipient


class DirectiveViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Directives (上级指令): grid workers see those sent to them, mark them read and reply;
    the centre sends them and follows the read receipts."""

    queryset = Directive.objects.all()
    serializer_class = s.DirectiveSerializer
    filterset_class = DirectiveFilterSet
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+"
    request: AuthenticatedRequest  # FIELD_ROLES lets only signed-in users through

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

    @extend_schema(summary="A directive", responses={200: s.DirectiveSerializer, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.DirectiveSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Send a directive (the centre); pushed live to every recipient",
        request={"application/json": s.DirectiveCreateSerializer, "multipart/form-data": s.DirectiveCreateSerializer},
        responses={201: s.DirectiveSerializer, 200: s.DirectiveSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        data = valid(s.DirectiveCreateSerializer, request.data)
        result = services.send_directive_result(request.user, **data)
        return self._answer(result.directive.pk, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(summary="Mark as read (a recipient)", request=None, responses={200: s.DirectiveSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        services.mark_directive_read(request.user, int(pk))
        return self._answer(int(pk))

    @extend_schema(
        summary="Reply (a recipient; once)",
        request=s.ReplyInSerializer,
        responses={200: s.DirectiveSerializer, **errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        data = valid(s.ReplyInSerializer, request.data)
        services.reply_directive(request.user, int(pk), text=data["text"])
        return self._answer(int(pk))

    @extend_schema(
        summary="Read receipts and replies per recipient (the centre); ?read=false: who has not read it",
        parameters=[s.ReceiptQuerySerializer],
        responses={200: s.RecipientSerializer(many=True), **errors(403, 404)},
    )
    # Its own query (``read``, ``replied``), not the directives' filters.
    @action(detail=True, methods=["get"], permission_classes=[CENTRE], filter_backends=[])
    def receipts(self, request: Request, pk: str) -> Response:
        directive = self.get_object()
        query = valid(s.ReceiptQuerySerializer, request.query_params)
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
        responses={200: s.UnreadUrgentSerializer(many=True), **errors(403)},
    )
    @action(detail=False, methods=["get"], url_path="unread-urgent", permission_classes=[CENTRE], filter_backends=[])
    def unread_urgent(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.unread_urgent())
        return self.get_paginated_response(s.UnreadUrgentSerializer(page, many=True).data)

    def _photo(self, thumbnail: bool) -> HttpResponseBase:
        directive = self.get_object()
        return stored_image_response((directive.photo_thumbnail if thumbnail else directive.photo).name)

    @extend_schema(summary="The directive's photo", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="photo", url_name="photo")
    def photo(self, request: Request, pk: str) -> HttpResponseBase:
        return self._photo(thumbnail=False)

    @extend_schema(summary="The directive photo's thumbnail", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="photo/thumbnail", url_name="photo-thumbnail")
    def photo_thumbnail(self, request: Request, pk: str) -> HttpResponseBase:
        return self._photo(thumbnail=True)
