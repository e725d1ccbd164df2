from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from gridcenter.contentpolicy import REPORT_PATH
from gridcenter.views import csp_report
from notifications.views import NotificationListView
from patrols.views.mobile import FieldPage

admin.site.site_header = "吉首市网格化社会服务管理中心"
admin.site.site_title = "gridcenter"


def favicon(request):
    """Browsers ask for /favicon.ico unbidden: the site's icon (its static name is hashed in production)."""
    return redirect(static("favicon.svg"))


class PhoneNotificationsView(FieldPage, NotificationListView):
    """The notification list in the phone's layout, for grid workers: composed here, since
    neither app may import the other."""

    template_name = "notifications/m/list.html"
    title = _("Notifications")
    phone_list = ""  # this is it


# Errors no view answered: JSON under /api/, the site's pages (templates/4xx.html, 500.html)
# elsewhere; 503 when the database is down.
handler400 = "gridcenter.httperrors.bad_request"
handler403 = "gridcenter.httperrors.permission_denied"
handler404 = "gridcenter.httperrors.page_not_found"
handler500 = "gridcenter.httperrors.server_error"

urlpatterns = [
    path("favicon.ico", favicon),
    path(REPORT_PATH.lstrip("/"), csp_report, name="csp-report"),
    path("m/notifications/", PhoneNotificationsView.as_view(), name="m-notifications"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script as a file of its own (?script), not inline: the CSP allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("api/v1/", include("gridcenter.api_urls")),
    path("", include("grids.urls")),
    path("", include("patrols.urls")),  # /m/ and /console/{directives,diary}/: before the accounts pages
    path("", include("evaluation.mobile_urls")),  # /m/evaluation/: the grid worker's own month
    path("", include("caselists.urls")),  # /console/cases/export/: before the case pages
    path("", include("incidents.urls")),  # /console/ and /workbench/: before the accounts pages
    path("", include("dashboard.urls")),
    path("", include("notifications.urls")),
    path("", include("evaluation.urls")),
    path("", include("exports.urls")),
    path("", include("stats.urls")),
    path("", include("accounts.urls")),
]
# No URL serves MEDIA_ROOT, in any mode: every stored file leaves through a view that
# checks who asks (gridcenter.files).
