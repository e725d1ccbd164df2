"""Directives (上级指令): sending, the recipient's receipt, the centre's read receipts."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import PersonSerializer
from gridcenter.api import NumberField, TextField
from patrols.api.serializers.common import absolute_url
from patrols.choices import DirectiveTarget, Urgency
from patrols.models import Directive, DirectiveRecipient

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class ReceiptCounts(TypedDict):
        """What the directives' queryset annotates for the centre (``DirectiveViewSet.get_queryset``)."""

        read_count: int
        replied_count: int


class DirectiveCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, help_text=_("Sending again with it returns the first one."))
    text = TextField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    target = serializers.ChoiceField(choices=DirectiveTarget.choices)
    target_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text=_("Ids of the townships, communities, grids or users (grid workers) the target names"),
    )
    reply_deadline = serializers.DateTimeField(required=False, allow_null=True)
    lat = NumberField(min_value=-90, max_value=90, required=False)
    lng = NumberField(min_value=-180, max_value=180, required=False)
    photo = serializers.FileField(required=False, allow_empty_file=False)


class ReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DirectiveRecipient
        fields = ["read_at", "reply", "replied_at"]


class DirectiveCountsSerializer(serializers.Serializer):
    recipients = serializers.IntegerField()
    read = serializers.IntegerField()
    replied = serializers.IntegerField()
    unread = serializers.IntegerField()


class DirectiveSerializer(serializers.ModelSerializer):
    sender = PersonSerializer()
    urgency_display = serializers.CharField(source="get_urgency_display")
    target_display = serializers.CharField(source="get_target_display")
    urgent = serializers.BooleanField(source="is_urgent")
    lat = serializers.SerializerMethodField()
    lng = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()
    photo_thumbnail_url = serializers.SerializerMethodField()
    receipt = serializers.SerializerMethodField(help_text=_("Yours, if the directive was sent to you"))
    counts = serializers.SerializerMethodField(help_text=_("Read receipts; for the command centre only"))

    class Meta:
        model = Directive
        fields = [
            "id",
            "text",
            "urgency",
            "urgency_display",
            "urgent",
            "sender",
            "sent_at",
            "reply_deadline",
            "lat",
            "lng",
            "photo_url",
            "photo_thumbnail_url",
            "target",
            "target_display",
            "target_label",
            "target_ids",
            "recipient_count",
            "receipt",
            "counts",
        ]

    def get_lat(self, directive: Directive) -> float | None:
        return directive.location.y if directive.location else None

    def get_lng(self, directive: Directive) -> float | None:
        return directive.location.x if directive.location else None

    def get_photo_url(self, directive: Directive) -> str | None:
        if not directive.photo:
            return None
        return absolute_url(self.context, reverse("directive-photo", args=[directive.pk]))

    def get_photo_thumbnail_url(self, directive: Directive) -> str | None:
        if not directive.photo:
            return None
        return absolute_url(self.context, reverse("directive-photo-thumbnail", args=[directive.pk]))

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, directive: Directive) -> dict | None:
        receipts = getattr(directive, "my_receipts", None)
        return ReceiptSerializer(receipts[0]).data if receipts else None

    @extend_schema_field(DirectiveCountsSerializer(allow_null=True))
    def get_counts(self, directive: Directive) -> dict | None:
        if getattr(directive, "read_count", None) is None:
            return None
        counted = cast("WithAnnotations[Directive, ReceiptCounts]", directive)
        return {
            "recipients": counted.recipient_count,
            "read": counted.read_count,
            "replied": counted.replied_count,
            "unread": counted.recipient_count - counted.read_count,
        }


class RecipientSerializer(serializers.ModelSerializer):
    """One recipient's receipt, for the centre: who, their grids and phone, read and reply."""

    worker = PersonSerializer()
    phone = serializers.SerializerMethodField()
    grids = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField(help_text=_("No reply by the deadline (or a reply after it)"))

    class Meta:
        model = DirectiveRecipient
        fields = ["id", "worker", "phone", "grids", "read_at", "reply", "replied_at", "late"]

    def get_phone(self, receipt: DirectiveRecipient) -> str:
        profile = getattr(receipt.worker, "grid_worker", None)
        return profile.phone if profile else ""

    def get_grids(self, receipt: DirectiveRecipient) -> list[str]:
        profile = getattr(receipt.worker, "grid_worker", None)
        return [grid.name for grid in profile.grids.all()] if profile else []

    def get_late(self, receipt: DirectiveRecipient) -> bool:
        deadline = receipt.directive.reply_deadline
        if deadline is None:
            return False
        if receipt.replied_at is not None:
            return receipt.replied_at > deadline
        return (self.context.get("now") or timezone.now()) > deadline


class UnreadUrgentSerializer(serializers.Serializer):
    directive = serializers.IntegerField(source="directive_id")
    text = serializers.CharField(source="directive.text")
    sent_at = serializers.DateTimeField(source="directive.sent_at")
    worker = PersonSerializer()
    phone = serializers.SerializerMethodField()

    def get_phone(self, receipt: DirectiveRecipient) -> str:
        profile = getattr(receipt.worker, "grid_worker", None)
        return profile.phone if profile else ""


class ReplyInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class ReceiptQuerySerializer(serializers.Serializer):
    read = serializers.BooleanField(required=False, allow_null=True, default=None)
    replied = serializers.BooleanField(required=False, allow_null=True, default=None)
