from django.urls import include, path

# Persons, organizations, vehicles, phones (page_urls) and the records registry (record_urls)
# are built and kept apart so each stays small.
urlpatterns = [
    path("", include("saohei.entities.page_urls")),
    path("records/", include("saohei.entities.record_urls")),
]
