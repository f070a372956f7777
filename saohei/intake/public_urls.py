"""The portal's public pages: all that a portal-only process serves (saohei.portal_urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="intake_start"),
    path("new/", views.new_report, name="intake_new"),
    path("check/", views.check, name="intake_check"),
    path("mine/", views.mine, name="intake_mine"),
    path("mine/<str:what>/", views.mine_post, name="intake_mine_post"),
    path("leave/", views.leave, name="intake_leave"),
]
