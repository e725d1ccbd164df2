"""Two DRF endpoints to measure serving overhead: validation only, and one PostGIS query."""

from django.db import connection
from django.urls import include, path
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class PointReport(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    description = serializers.CharField(max_length=2000)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class BareView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    with_postgis = False

    def post(self, request):
        report = PointReport(data=request.data)
        report.is_valid(raise_exception=True)
        data = dict(report.validated_data, client_uuid=str(report.validated_data["client_uuid"]))
        if self.with_postgis:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT ST_Covers(ST_MakeEnvelope(109.5, 28.133, 110.067, 28.483, 4326),"
                    " ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                    [data["lng"], data["lat"]],
                )
                data["inside"] = cursor.fetchone()[0]
        return Response(data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("bench/bare/", BareView.as_view()),
    path("bench/postgis/", BareView.as_view(with_postgis=True)),
    path("", include("gridcenter.urls")),
]
