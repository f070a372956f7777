"""The URLconf of a portal-only process (SAOHEI_PORTAL_ONLY=1): the public reporting pages
and nothing of the internal system — no login, no admin, no API, no clue pages — so the
portal can sit in another network zone. Static files are served by whitenoise."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("report/", include("saohei.intake.public_urls")),
    path("", RedirectView.as_view(url="/report/", permanent=False)),
]
