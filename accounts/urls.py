from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import mfa_views, views
from accounts.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/no-role/", views.NoRoleView.as_view(), name="no-role"),
    # Two-factor sign-in; setup/ and verify/ are the paths accounts.middleware.OPEN_PATHS names.
    path("accounts/mfa/", mfa_views.OverviewView.as_view(), name="mfa"),
    path("accounts/mfa/setup/", mfa_views.SetupView.as_view(), name="mfa-setup"),
    path("accounts/mfa/verify/", mfa_views.VerifyView.as_view(), name="mfa-verify"),
    path("accounts/mfa/recovery-codes/", mfa_views.RenewCodesView.as_view(), name="mfa-renew-codes"),
    path("accounts/mfa/disable/", mfa_views.DisableView.as_view(), name="mfa-disable"),
]
