"""The evaluation's page on the grid worker's phone, under /m/ with the other field pages."""

from django.urls import path

from evaluation.views import mobile

urlpatterns = [
    path("m/evaluation/", mobile.MyMonthView.as_view(), name="m-evaluation"),
]
