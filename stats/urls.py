from django.urls import path

from stats import views

urlpatterns = [
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("stats/export/", views.StatsExportView.as_view(), name="stats-export"),
]
