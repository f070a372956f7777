from django.urls import path

from . import views

urlpatterns = [
    path("", views.target_list, name="campaigns_targets"),
    path("targets/new/", views.target_edit, name="campaigns_target_new"),
    path("targets/<int:pk>/", views.target_detail, name="campaigns_target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="campaigns_target_edit"),
    path("drives/", views.drive_list, name="campaigns_drives"),
    path("drives/new/", views.drive_edit, name="campaigns_drive_new"),
    path("drives/<int:pk>/", views.drive_detail, name="campaigns_drive"),
    path("drives/<int:pk>/edit/", views.drive_edit, name="campaigns_drive_edit"),
    path("drives/<int:pk>/report/", views.drive_report, name="campaigns_drive_report"),
    path("register/", views.register, name="campaigns_register"),
    path("register/rules/new/", views.regulation_edit, name="campaigns_regulation_new"),
    path("register/rules/<int:pk>/", views.regulation_edit, name="campaigns_regulation_edit"),
    path("register/meetings/new/", views.meeting_edit, name="campaigns_meeting_new"),
    path("register/meetings/<int:pk>/", views.meeting_edit, name="campaigns_meeting_edit"),
    path("register/<str:what>/<int:pk>/file/", views.register_file, name="campaigns_register_file"),
]
