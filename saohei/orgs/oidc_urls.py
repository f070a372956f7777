"""Single sign-on routes (included only when SAOHEI_OIDC_ENABLED)."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .oidc import CallbackView

urlpatterns = [
    path("authenticate/", OIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
