"""The project's URLs with single sign-on switched on, as SAOHEI_OIDC_ENABLED=1 makes them."""

from django.urls import include, path

from saohei.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("oidc/", include("saohei.orgs.oidc_urls")), *project_urlpatterns]
