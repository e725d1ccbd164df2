from django.urls import path

from evaluation.api.views import PeriodsView, RoundsView, RowsView

urlpatterns = [
    path("evaluation/periods/", PeriodsView.as_view(), name="api-evaluation-periods"),
    path("evaluation/<str:period>/<str:subject>/", RowsView.as_view(), name="api-evaluation-rows"),
    path("evaluation/<str:period>/<str:subject>/<str:key>/rounds/", RoundsView.as_view(), name="api-evaluation-rounds"),
]
