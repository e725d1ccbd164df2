"""Pages of the exports: one's exports, an export's progress (polling a small JSON status), the download.

An export someone may not see is a 404; downloading one that is not ready leads to its page.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import AuthenticatedHttpRequest
from exports import services
from exports.choices import ExportState
from exports.models import Export
from gridcenter.errors import ConflictError, NotFoundError
from gridcenter.pages import http_error

PAGE_SIZE = 50


def file_response(export: Export) -> FileResponse:
    """The export's file as a download under its own name (private: never cached by a proxy)."""
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def answer(export: Export) -> HttpResponseBase:
    """What a page that asked for an export answers: the file if it is built, else the export's page."""
    if export.state == ExportState.DONE:
        return file_response(export)
    return HttpResponseRedirect(reverse("export-detail", args=[export.pk]))


def _export(request: AuthenticatedHttpRequest, pk: int) -> Export:
    try:
        return services.get_export(request.user, pk)
    except NotFoundError as error:
        raise http_error(error) from None


class ExportListView(LoginRequiredMixin, TemplateView):
    template_name = "exports/list.html"
    request: AuthenticatedHttpRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exports = services.visible_exports(self.request.user)
        context["page"] = Paginator(exports, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class ExportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "exports/detail.html"
    request: AuthenticatedHttpRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        export = _export(self.request, kwargs["pk"])
        context.update(export=export, status=services.status(export))
        return context


class ExportStatusView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
        response = JsonResponse(services.status(_export(request, pk)))
        response["Cache-Control"] = "no-store"
        return response


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        try:
            export = services.downloadable(request.user, pk)
        except ConflictError:
            return HttpResponseRedirect(reverse("export-detail", args=[pk]))
        except NotFoundError as error:
            raise http_error(error) from None
        return file_response(export)
