from django.urls import path

from . import views

urlpatterns = [
    path("", views.batch_list, name="vetting_batches"),
    path("upload/", views.batch_upload, name="vetting_upload"),
    path("progress/<int:pk>/", views.batch_progress, name="vetting_progress"),
    path("<int:pk>/", views.batch_detail, name="vetting_batch"),
    path("<int:pk>/<str:what>/", views.batch_download, name="vetting_download"),
    path("candidates/<int:pk>/", views.candidate_detail, name="vetting_candidate"),
    path("rules/", views.rule_list, name="vetting_rules"),
    path("rules/new/", views.rule_edit, name="vetting_rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="vetting_rule_edit"),
]
