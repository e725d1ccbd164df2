"""The notifications API: one's own list, the unread count, marking read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.permissions import AuthenticatedRequest
from gridcenter.api import BaseAPIView
from gridcenter.pagination import LimitOffsetPagination
from notifications import services
from notifications.api.serializers import UNREAD, NotificationQuerySerializer, NotificationSerializer
from notifications.models import Notification


class NotificationListView(BaseAPIView):
    pagination_class = LimitOffsetPagination  # the schema documents the page too

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[NotificationQuerySerializer],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        query = NotificationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        mine = Notification.objects.filter(recipient=request.user)
        if query.validated_data.get("unread"):
            mine = mine.filter(read_at__isnull=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(mine, request, view=self)
        assert page is not None  # PAGE_SIZE is set: every request is paged
        return paginator.get_paginated_response([services.item(row) for row in page])


class UnreadCountView(BaseAPIView):
    @extend_schema(summary="How many of your notifications are unread", responses=UNREAD)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response({"unread": services.unread_count(request.user)})


class MarkReadView(BaseAPIView):
    @extend_schema(summary="Mark one of your notifications read", request=None, responses=UNREAD)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        if not services.mark_read(request.user, pk):
            raise NotFound()
        return Response({"unread": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()})


class MarkAllReadView(BaseAPIView):
    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses=inline_serializer(
            "MarkedAll", {"unread": serializers.IntegerField(), "marked": serializers.IntegerField()}
        ),
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return Response({"unread": 0, "marked": services.mark_all_read(request.user)})
