"""``GET /api/v1/me/``: the signed-in user, their roles, and their grids or department.

It lives in the project package because it joins what several apps know about a person
(accounts: roles; departments: the officer's department; grids: the worker's grids),
and ``accounts``, the lowest app, imports neither of the others.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from accounts.names import display_name
from accounts.roles import roles_of
from departments.selectors import officer_of
from gridcenter.api import BaseAPIView
from grids.models import Grid


class MyDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="department.id")
    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    is_head = serializers.BooleanField()


class MyGridSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    grids = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "display_name", "roles", "department", "grids"]

    def get_roles(self, user) -> list[str]:
        return sorted(role.value for role in roles_of(user))

    def get_display_name(self, user) -> str:
        return display_name(user)

    @extend_schema_field(MyDepartmentSerializer(allow_null=True))
    def get_department(self, user) -> dict | None:
        """The department a department officer or head works for (else null)."""
        officer = officer_of(user)
        return MyDepartmentSerializer(officer).data if officer else None

    @extend_schema_field(MyGridSerializer(many=True))
    def get_grids(self, user) -> list[dict]:
        """The grids a grid worker serves (in the live grid map)."""
        grids = Grid.objects.active().filter(workers__user=user).order_by("code")
        # many=True makes a ListSerializer, whose data is a list (the stubs type it as one object).
        return cast(list[dict], MyGridSerializer(grids, many=True).data)


class MeView(BaseAPIView):
    """The signed-in user, their roles, and their department or grids."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
