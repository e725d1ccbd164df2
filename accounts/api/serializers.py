from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.names import display_name
from accounts.roles import roles_of


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
        from departments.models import Officer

        officer = Officer.objects.filter(user=user).select_related("department").first()
        return MyDepartmentSerializer(officer).data if officer else None

    @extend_schema_field(MyGridSerializer(many=True))
    def get_grids(self, user) -> list[dict]:
        """The grids a grid worker serves (in the live grid map)."""
        from grids.models import Grid

        grids = Grid.objects.active().filter(workers__user=user).order_by("code")
        return MyGridSerializer(grids, many=True).data
