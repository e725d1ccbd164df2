from django.urls import path
from rest_framework.routers import SimpleRouter

from incidents.api.views import AttachmentViewSet, CaseViewSet, CategoryViewSet, SlaFiguresView, StatsSummaryView

router = SimpleRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("incidents", CaseViewSet, basename="case")

urlpatterns = [
    *router.urls,
    path("attachments/<int:pk>/", AttachmentViewSet.as_view({"get": "retrieve"}), name="api-attachment-file"),
    path(
        "attachments/<int:pk>/thumbnail/",
        AttachmentViewSet.as_view({"get": "thumbnail"}),
        name="api-attachment-thumbnail",
    ),
    path("stats/summary/", StatsSummaryView.as_view(), name="api-stats-summary"),
    path("stats/sla/", SlaFiguresView.as_view(), name="api-stats-sla"),
]
