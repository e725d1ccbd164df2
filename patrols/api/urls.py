from django.urls import path
from rest_framework.routers import SimpleRouter

from patrols.api import views

router = SimpleRouter()
router.register("patrols", views.PatrolViewSet, basename="patrol")
router.register("diary", views.DiaryViewSet, basename="diary")
router.register("directives", views.DirectiveViewSet, basename="directive")
router.register("field/my-reports", views.MyReportsViewSet, basename="field-my-reports")
router.register("field/my-errands", views.MyErrandsViewSet, basename="field-my-errands")
router.register("field/to-verify", views.ToVerifyViewSet, basename="field-to-verify")

urlpatterns = [
    path("diary/photos/<int:pk>/", views.DiaryPhotoViewSet.as_view({"get": "retrieve"}), name="api-diary-photo"),
    path(
        "diary/photos/<int:pk>/thumbnail/",
        views.DiaryPhotoViewSet.as_view({"get": "thumbnail"}),
        name="api-diary-photo-thumbnail",
    ),
    path("coverage/", views.CoverageView.as_view(), name="api-coverage"),
    path("coverage/geojson/", views.CoverageGeoJSONView.as_view(), name="api-coverage-geojson"),
    path("field/today/", views.TodayView.as_view(), name="api-field-today"),
    *router.urls,
]
