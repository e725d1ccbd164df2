"""The patrol diary (民情日志) and its photos."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gridcenter.api import ScopedViewSet, stored_image_response
from patrols import services
from patrols.api import serializers as s
from patrols.api.views.common import FIELD_ROLES, errors, valid
from patrols.filtersets import DiaryFilterSet
from patrols.models import DiaryEntry, DiaryPhoto


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
            **errors(400, 403),
        },
    )
    def create(self, request: Request) -> Response:
        data = valid(s.DiaryCreateSerializer, request.data)
        result = services.create_diary_entry(request.user, **data)
        return self._answer(result.entry, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary="Comment on an entry (leaders)",
        request=s.CommentInSerializer,
        responses={201: s.DiaryEntrySerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, pk: str) -> Response:
        data = valid(s.CommentInSerializer, request.data)
        comment = services.comment_diary_entry(request.user, int(pk), text=data["text"])
        return self._answer(comment.entry, status.HTTP_201_CREATED)


class DiaryPhotoViewSet(ScopedViewSet):
    """A diary photo (re-encoded, without EXIF) or its thumbnail, for people who see the entry."""

    queryset = DiaryPhoto.objects.all()
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return DiaryPhoto.objects.filter(entry__in=DiaryEntry.objects.visible_to(self.request.user))

    @extend_schema(summary="A diary photo", responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> HttpResponseBase:
        return stored_image_response(self.get_object().file.name)

    @extend_schema(summary="A diary photo's thumbnail", responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, pk: str) -> HttpResponseBase:
        return stored_image_response(self.get_object().thumbnail.name)
