from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.names import display_name
from accounts.roles import roles_of


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "display_name", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(role.value for role in roles_of(user))

    def get_display_name(self, user) -> str:
        return display_name(user)
