from django.urls import path

from stats.api.views import BreakdownView

urlpatterns = [path("stats/breakdown/", BreakdownView.as_view(), name="api-stats-breakdown")]
