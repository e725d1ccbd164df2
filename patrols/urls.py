"""Pages of field work: the grid worker's phone UI under /m/, the centre's pages under
/console/directives/ and /console/diary/ (distinct from the dispatch console's own)."""

from django.urls import path

from patrols.views import console, mobile, pwa

urlpatterns = [
    path("m/", mobile.HomeView.as_view(), name="mobile-home"),
    path("m/sw.js", pwa.service_worker, name="m-sw"),
    path("m/manifest.webmanifest", pwa.manifest, name="m-manifest"),
    path("m/report/", mobile.ReportView.as_view(), name="m-report"),
    path("m/reports/", mobile.CaseListView.as_view(), name="m-reports"),
    path("m/cases/<int:pk>/", mobile.CaseView.as_view(), name="m-case"),
    path("m/errands/", mobile.ErrandListView.as_view(), name="m-errands"),
    path("m/errands/new/", mobile.ErrandNewView.as_view(), name="m-errand-new"),
    path("m/patrol/", mobile.PatrolView.as_view(), name="m-patrol"),
    path("m/diary/", mobile.DiaryListView.as_view(), name="m-diary"),
    path("m/diary/new/", mobile.DiaryNewView.as_view(), name="m-diary-new"),
    path("m/diary/<int:pk>/", mobile.DiaryEntryView.as_view(), name="m-diary-entry"),
    path("m/directives/", mobile.DirectiveListView.as_view(), name="m-directives"),
    path("m/directives/<int:pk>/", mobile.DirectiveView.as_view(), name="m-directive"),
    path("m/outbox/", mobile.OutboxView.as_view(), name="m-outbox"),
    path("m/offline/", mobile.OfflineView.as_view(), name="m-offline"),
    path("console/directives/", console.DirectivesView.as_view(), name="console-directives"),
    path("console/directives/<int:pk>/", console.DirectiveReceiptsView.as_view(), name="console-directive"),
    path("console/diary/", console.DiaryConsoleView.as_view(), name="console-diary"),
    path("console/diary/new/", console.OnBehalfDiaryView.as_view(), name="console-diary-new"),
    path("console/diary/<int:pk>/comment/", console.DiaryCommentView.as_view(), name="console-diary-comment"),
]
