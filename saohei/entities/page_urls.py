from django.urls import path

from . import views

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("mentions/add/", views.mention_add, name="mention_add"),
    path("mentions/<int:pk>/remove/", views.mention_remove, name="mention_remove"),
    *[
        route
        for kind, plural in (
            ("organization", "organizations"),
            ("vehicle", "vehicles"),
            ("phone", "phones"),
        )
        for route in (
            path(f"{plural}/", views.entity_list, {"kind": kind}, name=f"{kind}_list"),
            path(f"{plural}/new/", views.entity_create, {"kind": kind}, name=f"{kind}_create"),
        )
    ],
]
