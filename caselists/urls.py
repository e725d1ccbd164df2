from django.urls import path

from caselists import views

urlpatterns = [
    path("console/cases/export/", views.ConsoleExportView.as_view(), name="console-export"),
    path("workbench/export/", views.WorkbenchExportView.as_view(), name="workbench-export"),
]
