"""Patrol coverage per grid, and the phone's day at a glance (which shows it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gridcenter import dates
from grids.api.serializers import GridRefSerializer
from patrols.api.serializers.patrols import PatrolSerializer
from patrols.limits import DAILY_PATROL_MINUTES


class CoverageQuerySerializer(serializers.Serializer):
    date = dates.SerializerDateField(required=False, help_text=_("YYYY-MM-DD (Asia/Shanghai); default today"))
    township = serializers.CharField(required=False, max_length=9, help_text=_("Township code"))
    patrolled = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("false: only the grids not patrolled enough")
    )


class CoverageMapQuerySerializer(serializers.Serializer):
    date = dates.SerializerDateField(required=False)
    township = serializers.CharField(required=False, max_length=9)
    zoom = serializers.IntegerField(min_value=0, max_value=22, required=False, help_text=_("Simplify for this zoom"))


class GridCoverageSerializer(serializers.Serializer):
    grid = serializers.SerializerMethodField()
    community = serializers.CharField()
    township = serializers.CharField()
    township_code = serializers.CharField()
    patrols = serializers.IntegerField()
    workers = serializers.IntegerField()
    minutes = serializers.FloatField()
    distance_m = serializers.FloatField()
    patrolled = serializers.BooleanField()
    level = serializers.CharField(help_text=_("none, short or done"))

    @extend_schema_field(GridRefSerializer)
    def get_grid(self, item) -> dict:
        return {"id": item.grid_id, "code": item.code, "name": item.name}


class CoverageSerializer(serializers.Serializer):
    date = dates.SerializerDateField()
    min_minutes = serializers.IntegerField(default=DAILY_PATROL_MINUTES)
    grids_total = serializers.IntegerField()
    grids_patrolled = serializers.IntegerField()
    grids = GridCoverageSerializer(many=True)


# --- the phone's home --------------------------------------------------------------------------------------


class TodaySerializer(serializers.Serializer):
    grids = GridCoverageSerializer(many=True)
    min_minutes = serializers.IntegerField()
    patrol = PatrolSerializer(allow_null=True)
    unread_directives = serializers.IntegerField()
    to_verify = serializers.IntegerField(help_text=_("Resolved cases in your grids waiting for your check on site"))
    open_reports = serializers.IntegerField(help_text=_("Your reports that are not closed or rejected"))
