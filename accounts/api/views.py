from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.api.serializers import MeSerializer


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the phone's API token."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


class MeView(APIView):
    """The signed-in user and their roles (apps add their grids or department)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
