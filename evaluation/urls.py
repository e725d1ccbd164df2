"""Pages of the evaluation (the API is under /api/v1/evaluation/, in evaluation/api/urls.py)."""

from django.urls import path

from evaluation import views

urlpatterns = [
    path("evaluation/", views.MonthView.as_view(), name="evaluation"),
    path("evaluation/<str:period>/", views.MonthView.as_view(), name="evaluation-month"),
    path("evaluation/<str:period>/export/", views.ExportView.as_view(), name="evaluation-export"),
    path(
        "evaluation/<str:period>/<str:subject>/<str:key>/<str:figure>/",
        views.RoundsView.as_view(),
        name="evaluation-rounds",
    ),
]
