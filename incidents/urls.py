"""Pages of the incidents app: the dispatcher console and the department workbench."""

from django.urls import path

from incidents.views import bulk, console, queues, workbench

urlpatterns = [
    path("console/", queues.NewReportsView.as_view(), name="console"),
    path("console/dispatch/", queues.DispatchQueueView.as_view(), name="console-dispatch"),
    path("console/review/", queues.ReviewQueueView.as_view(), name="console-review"),
    path("console/cases/", queues.SearchView.as_view(), name="console-search"),
    path("console/bulk/", bulk.ConsoleBulkView.as_view(), name="console-bulk"),
    path("console/cases/<int:pk>/", console.ConsoleCaseView.as_view(), name="console-case"),
    path("console/cases/<int:pk>/<slug:action>/", console.ConsoleStepView.as_view(), name="console-case-step"),
    path("console/new/", console.RegisterView.as_view(), name="console-register"),
    path("console/late/", console.LateStepsView.as_view(), name="console-late"),
    path("workbench/", workbench.InboxView.as_view(), name="workbench"),
    path("workbench/bulk/", bulk.WorkbenchBulkView.as_view(), name="workbench-bulk"),
    path("workbench/cases/<int:pk>/", workbench.WorkbenchCaseView.as_view(), name="workbench-case"),
    path("workbench/cases/<int:pk>/<slug:action>/", workbench.WorkbenchStepView.as_view(), name="workbench-case-step"),
]
