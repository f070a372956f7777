from django.urls import path

from . import record_views, views

urlpatterns = [
    path("assessment/", views.period_list, name="assessment_periods"),
    path("assessment/new/", views.period_new, name="assessment_period_new"),
    path("assessment/items/", views.item_list, name="assessment_items"),
    path("assessment/<int:pk>/", views.ranking, name="assessment_ranking"),
    path("assessment/<int:pk>/export/", views.ranking_export, name="assessment_export"),
    path("assessment/<int:pk>/units/<int:unit>/", views.unit_checklist, name="assessment_unit"),
    path("assessment/<int:pk>/units/<int:unit>/answer/", views.answer, name="assessment_answer"),
    path("assessment/files/<int:pk>/", views.answer_file, name="assessment_file"),
    path("publicity/", record_views.publicity_list, name="publicity_list"),
    path("publicity/new/", record_views.publicity_new, name="publicity_new"),
    path("publicity/export/", record_views.publicity_export, name="publicity_export"),
    path("publicity/import/", record_views.publicity_import, name="publicity_import"),
    path("publicity/<int:pk>/", record_views.publicity_detail, name="publicity_detail"),
    path("publicity/<int:pk>/file/", record_views.publicity_file, name="publicity_file"),
    path("funds/", record_views.fund_overview, name="funds"),
    path("funds/allocations/new/", record_views.allocation_new, name="fund_allocation_new"),
    path("funds/spending/new/", record_views.spending_new, name="fund_spending_new"),
    path("funds/export/", record_views.fund_export, name="fund_export"),
    path("funds/import/", record_views.fund_import, name="fund_import"),
    path("training/", record_views.training_list, name="training_list"),
    path("training/new/", record_views.training_new, name="training_new"),
    path("training/topics/", record_views.topic_list, name="training_topics"),
]
