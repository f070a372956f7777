from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("security/policy/", views.security_policy, name="security_policy"),
    path("security/unlock/", views.unlock_account, name="unlock_account"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
]
