"""Pages of the evaluation (the API is under /api/v1/evaluation/, in evaluation/api/urls.py).

The fixed names (``appeals``, ``scheme``) come before ``<period>``, which would take them.
"""

from django.urls import path

from evaluation import views

urlpatterns = [
    path("evaluation/", views.MonthView.as_view(), name="evaluation"),
    path("evaluation/appeals/", views.AppealListView.as_view(), name="evaluation-appeals"),
    path("evaluation/appeals/<int:pk>/decision/", views.DecisionView.as_view(), name="evaluation-appeal-decision"),
    path("evaluation/scheme/", views.SchemeView.as_view(), name="evaluation-scheme"),
    path("evaluation/<str:period>/", views.MonthView.as_view(), name="evaluation-month"),
    path("evaluation/<str:period>/export/", views.ExportView.as_view(), name="evaluation-export"),
    path(
        "evaluation/<str:period>/<str:subject>/<str:key>/<str:figure>/",
        views.RoundsView.as_view(),
        name="evaluation-rounds",
    ),
    path(
        "evaluation/<str:period>/departments/<str:key>/<str:figure>/appeal/",
        views.AppealView.as_view(),
        name="evaluation-appeal",
    ),
]
