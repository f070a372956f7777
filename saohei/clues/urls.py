from django.urls import path

from . import views

urlpatterns = [
    path("", views.clue_list, name="clue_list"),
    path("new/", views.clue_register, name="clue_register"),
    path("deadlines/", views.deadline_board, name="clue_deadlines"),
    path("export/", views.clue_export, name="clue_export"),
    path("import/", views.clue_import, name="clue_import"),
    path("settings/", views.clue_settings, name="clue_settings"),
    path("<str:number>/", views.clue_detail, name="clue_detail"),
    path("<str:number>/reveal/", views.clue_reveal, name="clue_reveal"),
    path("<str:number>/verification/", views.clue_add_verification, name="clue_add_verification"),
    path(
        "<str:number>/informant-contacted/",
        views.clue_informant_contacted,
        name="clue_informant_contacted",
    ),
    path("<str:number>/supervision/<str:what>/", views.clue_supervision, name="clue_supervision"),
    path("<str:number>/files/", views.clue_attach, name="clue_attach"),
    path("<str:number>/files/<int:pk>/", views.attachment_download, name="clue_attachment"),
    path("<str:number>/step/<str:step>/", views.clue_step, name="clue_step"),
]
