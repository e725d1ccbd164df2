from rest_framework import serializers

from accounts.names import display_name


class PersonSerializer(serializers.Serializer):
    """A person named in another resource (an actor, an officer, a sender), by display name."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return display_name(user)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    device = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        default="",
        allow_blank=True,
        help_text="For an account with two-factor authentication: the app's six-digit code, or a recovery code.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.Serializer):
    """One of the person's active tokens (never the token itself)."""

    id = serializers.IntegerField()
    prefix = serializers.CharField()
    device = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        return token == self.context["request"].auth
