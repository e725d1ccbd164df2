"""Pages of the incidents app: the dispatcher console and the department workbench."""

from django.urls import path

from incidents.views import console, workbench

urlpatterns = [
    path("console/", console.NewReportsView.as_view(), name="console"),
    path("console/dispatch/", console.DispatchQueueView.as_view(), name="console-dispatch"),
    path("console/review/", console.ReviewQueueView.as_view(), name="console-review"),
    path("console/cases/", console.SearchView.as_view(), name="console-search"),
    path("console/cases/<int:pk>/", console.ConsoleCaseView.as_view(), name="console-case"),
    path("console/cases/<int:pk>/<slug:action>/", console.ConsoleStepView.as_view(), name="console-case-step"),
    path("console/new/", console.RegisterView.as_view(), name="console-register"),
    path("console/late/", console.LateStepsView.as_view(), name="console-late"),
    path("workbench/", workbench.InboxView.as_view(), name="workbench"),
    path("workbench/cases/<int:pk>/", workbench.WorkbenchCaseView.as_view(), name="workbench-case"),
    path("workbench/cases/<int:pk>/<slug:action>/", workbench.WorkbenchStepView.as_view(), name="workbench-case-step"),
]
