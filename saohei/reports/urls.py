from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("clues/", views.clues_counted, name="figures_clues"),
    path("cases/", views.cases_counted, name="figures_cases"),
]
