"""On the internal system: the portal's public pages and the office's side of them."""

from django.urls import path

from . import office_views
from .public_urls import urlpatterns as public_patterns

urlpatterns = [
    *public_patterns,
    path("office/<str:number>/message/", office_views.office_message, name="intake_office_message"),
    path(
        "office/<str:number>/verify-code/",
        office_views.office_verify_code,
        name="intake_office_verify",
    ),
]
