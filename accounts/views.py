from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.roles import landing_url, roles_of


@login_required
def home(request):
    """Send each user to the page their role starts from."""
    return redirect(landing_url(request.user))


class NoRoleView(TemplateView):
    """Signed in, but no role yet: say so instead of showing an empty page."""

    template_name = "accounts/no_role.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        if roles_of(request.user):
            return redirect(landing_url(request.user))
        return super().dispatch(request, *args, **kwargs)


class RoleLandingView(RoleRequiredMixin, TemplateView):
    """The start page of one role: who you are and what you can open from here."""

    template_name = "accounts/landing.html"
    role_title = ""
    links: tuple[tuple[str, str], ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_title"] = self.role_title
        context["links"] = self.links
        return context
