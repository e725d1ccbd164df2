from django.urls import path

from evaluation.api.appeals import AppealDecisionView, AppealDetailView, AppealsView, SchemeView
from evaluation.api.views import PeriodsView, RoundsView, RowsView

# The fixed names (appeals, scheme) come first: ``<period>/<subject>/`` would take ``appeals/<id>/``.
urlpatterns = [
    path("evaluation/periods/", PeriodsView.as_view(), name="api-evaluation-periods"),
    path("evaluation/appeals/", AppealsView.as_view(), name="api-evaluation-appeals"),
    path("evaluation/appeals/<int:pk>/", AppealDetailView.as_view(), name="api-evaluation-appeal"),
    path("evaluation/appeals/<int:pk>/decision/", AppealDecisionView.as_view(), name="api-evaluation-appeal-decision"),
    path("evaluation/scheme/", SchemeView.as_view(), name="api-evaluation-scheme"),
    path("evaluation/<str:period>/<str:subject>/", RowsView.as_view(), name="api-evaluation-rows"),
    path("evaluation/<str:period>/<str:subject>/<str:key>/rounds/", RoundsView.as_view(), name="api-evaluation-rounds"),
]
