from django.urls import path

from . import document_views, table_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clues/", views.clues_counted, name="figures_clues"),
    path("cases/", views.cases_counted, name="figures_cases"),
    path("indicators/import/", views.indicator_import, name="indicator_import"),
    path("tables/units/", table_views.unit_table_download, name="unit_table"),
    path("briefing.docx", document_views.briefing_download, name="briefing_download"),
    path("bulletin.docx", document_views.bulletin_download, name="bulletin_download"),
]
