from django.urls import path

from . import network_views

# The network around a person, organization, clue or case (or a suspect or official of a case
# that is no person on record): /linkage/networks/<kind>/<pk>/?k=2
urlpatterns = [
    path("<str:kind>/<int:pk>/", network_views.network, name="network"),
    path("<str:kind>/<int:pk>/edges.xlsx", network_views.network_edges, name="network_edges"),
    path("ties/<int:pk>/add/", network_views.tie_add, name="tie_add"),
    path("ties/<int:pk>/remove/", network_views.tie_remove, name="tie_remove"),
]
