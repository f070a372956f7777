from django.urls import include, path

# Link suggestions, series and the oil-field view (suggestion_urls); networks (network_urls).
# Built side by side, kept apart so each stays small.
urlpatterns = [
    path("", include("saohei.linkage.suggestion_urls")),
    path("networks/", include("saohei.linkage.network_urls")),
]
