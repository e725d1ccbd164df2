"""What the field-work serializers share: absolute links, a case in brief."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from incidents.choices import CaseStatus


def absolute_url(context: Mapping[str, Any], url: str) -> str:
    """``url`` made absolute when the serializer has the request (API answers), as it is otherwise."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_no = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
