from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "saohei.intake"
    label = "intake"
    verbose_name = _("Public reporting")

    def ready(self):
        from . import signals  # noqa: F401
