"""Serializers of the notifications API."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    text = serializers.CharField()
    case = serializers.IntegerField(allow_null=True, help_text="The case it is about (null: an export ready).")
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()
    url = serializers.CharField(help_text="Opens the case or the page (and marks the notification read).")


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="Only the unread ones (true/1) or all (false/0)")


UNREAD = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
