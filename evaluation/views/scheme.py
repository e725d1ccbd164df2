"""The scoring scheme's page (/evaluation/scheme/), for leaders and administrators: the scheme in
force, its versions (who, when, why, the months published with each) and the form that adds
a version through ``evaluation.services.schemes.add_version`` (a version is never changed).
Everyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import AuthenticatedHttpRequest
from evaluation.forms import SchemeForm
from evaluation.models import Publication, Scheme
from evaluation.services import schemes, scoring
from gridcenter.errors import DomainError
from gridcenter.pages import add_domain_error, http_error


def labels() -> list[str]:
    """The numbers' names, from the model's verbose names (in the reader's language)."""
    return [capfirst(str(Scheme.label(name))) for name in scoring.SCHEME_FIELDS]


def scheme_page(form: SchemeForm) -> dict:
    current = schemes.current_row()
    months: dict[int, list[str]] = {}
    for version, period in Publication.objects.order_by("period", "version").values_list("scheme__version", "period"):
        if period not in months.setdefault(version, []):
            months[version].append(period)
    versions = list(Scheme.objects.select_related("created_by").order_by("-version"))
    for row in versions:
        row.values = [getattr(row, name) for name in scoring.SCHEME_FIELDS]  # type: ignore[attr-defined]
        row.months = months.get(row.version, [])  # type: ignore[attr-defined]
    return {
        "current": current,
        "current_values": list(zip(labels(), (getattr(current, name) for name in scoring.SCHEME_FIELDS), strict=True)),
        "labels": labels(),
        "versions": versions,
        "form": form,
    }


class SchemeView(LoginRequiredMixin, View):
    """GET: the scheme and its versions; POST: a new version (the note is required here)."""

    request: AuthenticatedHttpRequest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not schemes.may_edit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        current = schemes.current_row()
        form = SchemeForm(initial={name: getattr(current, name) for name in scoring.SCHEME_FIELDS})
        return render(request, "evaluation/scheme.html", scheme_page(form))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = SchemeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                added = schemes.add_version(request.user, note=form.cleaned_data["note"], **form.values())
            except DomainError as error:
                if error.status_code == 403:
                    raise http_error(error) from None
                add_domain_error(form, error)
                status = error.status_code
            else:
                messages.success(request, _("Scheme version %(version)s is in force.") % {"version": added.version})
                return HttpResponseRedirect(reverse("evaluation-scheme"))
        return render(request, "evaluation/scheme.html", scheme_page(form), status=status)
