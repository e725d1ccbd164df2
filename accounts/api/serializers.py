from rest_framework import serializers

from accounts.names import display_name


class PersonSerializer(serializers.Serializer):
    """A person named in another resource (an actor, an officer, a sender), by display name."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return display_name(user)
