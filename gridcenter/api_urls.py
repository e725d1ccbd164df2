"""Everything under /api/v1/: each app contributes its own routes."""

from django.urls import include, path

from gridcenter.me import MeView

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("grids.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("patrols.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("evaluation.api.urls")),
    path("", include("stats.api.urls")),
]
