from django.urls import path

from . import views

urlpatterns = [
    path("suggestions/", views.suggestion_list, name="link_suggestions"),
    path("suggestions/<int:pk>/decide/", views.suggestion_decide, name="link_decide"),
    path("series/", views.series_list, name="series_list"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("oil-field/", views.oil_field, name="oil_field"),
]
