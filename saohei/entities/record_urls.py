from django.urls import path

from . import record_views

urlpatterns = [
    path("", record_views.record_list, name="record_list"),
    path("import/", record_views.record_import, name="record_import"),
]
