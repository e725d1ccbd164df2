from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.generic import TemplateView

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
