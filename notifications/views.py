"""The notification list (/notifications/): one's own notifications, newest first."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import AuthenticatedHttpRequest
from accounts.roles import Role, roles_of
from notifications import services
from notifications.models import Notification

PAGE_SIZE = 50


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"
    request: AuthenticatedHttpRequest  # LoginRequiredMixin lets only signed-in users through
    # A grid worker lives on the phone pages: their list is /m/notifications/ (gridcenter/urls.py).
    phone_list = "m-notifications"

    def get(self, request, *args, **kwargs):
        if self.phone_list and roles_of(request.user) == {Role.GRID_WORKER}:
            query = request.GET.urlencode()
            return HttpResponseRedirect(reverse(self.phone_list) + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = Notification.objects.filter(recipient=self.request.user).select_related("case")
        only_unread = self.request.GET.get("unread") == "1"
        if only_unread:
            mine = mine.filter(read_at__isnull=True)
        context.update(page=Paginator(mine, PAGE_SIZE).get_page(self.request.GET.get("page")), only_unread=only_unread)
        return context


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the form was on (the phone's, /m/notifications/, or this one)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications")
    return HttpResponseRedirect(target)


class MarkReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not services.mark_read(request.user, pk):
            raise Http404
        return _back(request)


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        services.mark_all_read(request.user)
        return _back(request)


class OpenView(LoginRequiredMixin, View):
    """Follow a notification: it is marked read, and its case opens where the user works (or its own page)."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        notification = Notification.objects.filter(pk=pk, recipient=request.user).first()
        if notification is None:
            raise Http404
        services.mark_read(request.user, pk)
        if notification.case_id is None:
            return HttpResponseRedirect(notification.link or reverse("notifications"))
        return HttpResponseRedirect(services.case_url(request.user, notification.case_id))
