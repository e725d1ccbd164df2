from django.urls import path

from dashboard import views

urlpatterns = [
    path("dashboard/", views.WallScreenView.as_view(), name="dashboard"),
    path("dashboard/cases/<int:pk>/", views.CasePanelView.as_view(), name="dashboard-case"),
]
