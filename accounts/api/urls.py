from django.urls import path

from accounts.api.views import MyTokensView, MyTokenView, TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/tokens/", MyTokensView.as_view(), name="api-my-tokens"),
    path("me/tokens/<int:pk>/", MyTokenView.as_view(), name="api-my-token"),
]
