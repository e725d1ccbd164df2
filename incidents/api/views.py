from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.api.serializers import MajorCategoryNodeSerializer
from incidents.catalog import category_tree


class CategoryViewSet(viewsets.ViewSet):
    """The taxonomy tree: major categories (大类) with their sub-items (小项)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Only sub-items whose Chinese name contains this (or code starts)")
        ],
        responses=MajorCategoryNodeSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        return Response(category_tree(request.query_params.get("q", "")))
