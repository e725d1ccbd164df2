from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.models import Department
from incidents.models import SubCategory


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class TimeLimitSerializer(serializers.Serializer):
    amount = serializers.SerializerMethodField()
    unit = serializers.CharField(source="limit_unit")
    text = serializers.CharField(source="limit_display")

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_amount(self, sub: SubCategory) -> int | float:
        amount: Decimal = sub.limit_amount
        return int(amount) if amount == amount.to_integral() else float(amount)


class SubCategorySerializer(serializers.ModelSerializer):
    lead_department = DepartmentRefSerializer()
    assisting_departments = DepartmentRefSerializer(many=True)
    time_limit = TimeLimitSerializer(source="*")
    urgency_display = serializers.CharField(source="get_urgency_display")

    class Meta:
        model = SubCategory
        fields = [
            "code",
            "name",
            "name_en",
            "lead_department",
            "assisting_departments",
            "time_limit",
            "urgency",
            "urgency_display",
            "closing_criterion",
        ]


class MajorCategoryNodeSerializer(serializers.Serializer):
    """A major category with its (active, or matching) sub-items."""

    code = serializers.CharField(source="major.code")
    name = serializers.CharField(source="major.name")
    name_en = serializers.CharField(source="major.name_en")
    domain = serializers.CharField(source="major.domain")
    subcategories = SubCategorySerializer(many=True)
