from django.urls import path

from . import disposal_views, views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_open, name="case_open"),
    path("checks/", views.checks_incomplete, name="case_checks"),
    path("export/", views.case_export, name="case_export"),
    path("import/", views.case_import, name="case_import"),
    path("disposals/", disposal_views.disposal_list, name="disposal_list"),
    path("disposals/new/", disposal_views.disposal_propose, name="disposal_propose"),
    path("disposals/<int:pk>/<str:step>/", disposal_views.disposal_step, name="disposal_step"),
    path("<str:number>/", views.case_detail, name="case_detail"),
    path("<str:number>/details/", views.case_details, name="case_details"),
    path("<str:number>/step/<str:step>/", views.case_step, name="case_step"),
    path("<str:number>/add/<str:what>/", views.case_add, name="case_add"),
    path("<str:number>/<str:what>/<int:pk>/", views.case_outcome, name="case_outcome"),
    path("<str:number>/checks/<str:part>/", views.case_check, name="case_check"),
]
