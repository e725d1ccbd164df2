"""The two-factor pages: the code after the password, enrolment, recovery codes, turning it off.

Thin: every step is a function of ``accounts.services.mfa``; a refused code (wrong, or too
many wrong ones) is a form error. ``/accounts/mfa/setup/`` and ``/accounts/mfa/verify/``
are the only pages a session that owes its second factor may open (``accounts.middleware``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts import middleware
from accounts.forms import CodeForm
from accounts.middleware import owed_step
from accounts.permissions import AuthenticatedHttpRequest
from accounts.roles import landing_url
from accounts.services import mfa
from gridcenter.errors import ConflictError, DomainError, DomainValidationError


def next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to go once the step is done: the page asked for, if it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return landing_url(request.user)


def refused(form: CodeForm, error: DomainError) -> None:
    """Show a refused code on the form (wrong: the field's message; throttled: the wait)."""
    if isinstance(error, DomainValidationError):
        for message in error.errors.get("code", [error.message]):
            form.add_error("code", message)
    else:
        form.add_error("code", error.message)


class CodeStep(LoginRequiredMixin, FormView):
    """A step of the sign-in that asks for a code, open while the session owes one of ``steps``
    (``None``: nothing owed); else on to the step owed, or to the page asked for."""

    request: AuthenticatedHttpRequest
    form_class = CodeForm
    steps: frozenset[mfa.Step | None]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            owed = owed_step(request)
            if owed not in self.steps:
                return redirect(next_url(request) if owed is None else middleware.STEP_URL_NAMES[owed])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # mfa_pending: the page's frame shows no menus, and opens no live channel.
        return super().get_context_data(mfa_pending=True, next=next_url(self.request), **kwargs)


class VerifyView(CodeStep):
    """After the password: a code from the app, or a recovery code."""

    template_name = "accounts/mfa/verify.html"
    steps = frozenset({mfa.Step.VERIFY})

    def form_valid(self, form: CodeForm) -> HttpResponse:
        try:
            device = mfa.verify(self.request.user, form.cleaned_data["code"], request=self.request)
        except DomainError as error:
            refused(form, error)
            return self.form_invalid(form)
        mfa.sign_in(self.request, device)
        return redirect(next_url(self.request))


class SetupView(CodeStep):
    """Enrolment: scan the QR code (or type the secret), confirm with the first code."""

    template_name = "accounts/mfa/setup.html"
    steps = frozenset({mfa.Step.SETUP, None})  # owed by a required role; chosen by anyone else

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and mfa.has_authenticator(request.user):
            return redirect("mfa")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enrolment"] = mfa.start_enrolment(self.request.user)
        context["required"] = mfa.is_required(self.request.user)
        context["mfa_pending"] = context["required"]
        return context

    def form_valid(self, form: CodeForm) -> HttpResponse:
        try:
            device, codes = mfa.confirm_enrolment(self.request.user, form.cleaned_data["code"], request=self.request)
        except ConflictError:
            return redirect("mfa")
        except DomainError as error:
            refused(form, error)
            return self.form_invalid(form)
        mfa.sign_in(self.request, device)
        return recovery_codes_page(self.request, codes, enrolled=True)


def recovery_codes_page(request: AuthenticatedHttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    """The codes, shown this once (they are not shown again: new ones can be made)."""
    context = {"codes": codes, "enrolled": enrolled, "next": next_url(request)}
    return render(request, "accounts/mfa/recovery_codes.html", context)


class OverviewView(LoginRequiredMixin, TemplateView):
    """``/accounts/mfa/``: on or off, recovery codes left; new codes; turn off (or start again)."""

    request: AuthenticatedHttpRequest
    template_name = "accounts/mfa/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            enabled=mfa.has_authenticator(user),
            required=mfa.is_required(user),
            codes_left=mfa.recovery_codes_left(user),
            form=kwargs.pop("form", None) or CodeForm(),
            **kwargs,
        )


class CodeAction(LoginRequiredMixin, FormView):
    """A change to one's own MFA that a code must confirm (POST from the overview)."""

    request: AuthenticatedHttpRequest
    form_class = CodeForm
    http_method_names = ["post"]

    def form_invalid(self, form: CodeForm) -> HttpResponse:
        page = OverviewView()
        page.setup(self.request)
        return page.render_to_response(page.get_context_data(form=form))

    def run(self, code: str) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form: CodeForm) -> HttpResponse:
        try:
            return self.run(form.cleaned_data["code"])
        except DomainError as error:
            refused(form, error)
            return self.form_invalid(form)


class RenewCodesView(CodeAction):
    def run(self, code: str) -> HttpResponse:
        codes = mfa.renew_recovery_codes(self.request.user, code, request=self.request)
        return recovery_codes_page(self.request, codes, enrolled=False)


class DisableView(CodeAction):
    def run(self, code: str) -> HttpResponse:
        mfa.disable_own(self.request.user, code, request=self.request)
        if mfa.is_required(self.request.user):
            messages.info(self.request, _("Two-factor authentication was removed. Set up your new authenticator now."))
            return redirect("mfa-setup")
        messages.success(self.request, _("Two-factor authentication is off."))
        return redirect("mfa")
