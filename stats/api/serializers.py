"""The shapes of /api/v1/stats/breakdown/ (for the OpenAPI schema; the input is checked by
``stats.services.query.parse``)."""

from __future__ import annotations

from rest_framework import serializers

from incidents.api.serializers import StatsSummarySerializer
from incidents.choices import CaseSource, CaseStatus
from stats.services.query import ALL_DIMENSIONS


class BreakdownQuerySerializer(serializers.Serializer):
    by = serializers.RegexField(
        rf"^({'|'.join(ALL_DIMENSIONS)})(,({'|'.join(ALL_DIMENSIONS)}))?$",
        required=False,
        help_text="One or two dimensions, comma-separated (default `category`): " + ", ".join(ALL_DIMENSIONS),
    )
    # ``from`` is a Python keyword and ``source`` a Field attribute: both are added in ``get_fields``.
    to = serializers.DateField(required=False, help_text="Last day of the period (default today), YYYY-MM-DD")
    status = serializers.MultipleChoiceField(
        choices=CaseStatus.choices, required=False, help_text="Case-list filter (repeatable), as /api/v1/incidents/"
    )
    grid = serializers.CharField(required=False, help_text="Grid id or code")
    township = serializers.CharField(required=False, help_text="Township code")
    department = serializers.CharField(required=False, help_text="Lead department id or code")
    major = serializers.CharField(required=False, help_text="Major category code")
    subcategory = serializers.CharField(required=False, help_text="Sub-item code")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="First day of the period (default 29 days before `to`), YYYY-MM-DD"
        )
        fields["source"] = serializers.MultipleChoiceField(
            choices=CaseSource.choices, required=False, help_text="Case-list filter (repeatable)"
        )
        return fields


class BreakdownRowSerializer(serializers.Serializer):
    count = serializers.IntegerField()

    def get_fields(self):  # one key and one name per dimension, e.g. ``township`` and ``township_name``
        fields = super().get_fields()
        for dim in ALL_DIMENSIONS:
            fields[dim] = serializers.CharField(required=False)
            fields[f"{dim}_name"] = serializers.CharField(required=False)
        return fields


class BreakdownSerializer(serializers.Serializer):
    by = serializers.ListField(child=serializers.CharField())
    to = serializers.DateField()
    total = serializers.IntegerField()
    figures = StatsSummarySerializer(help_text="The wall screen's five figures over the same cases")
    rows = BreakdownRowSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields
