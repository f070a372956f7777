from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "saohei.linkage"
    label = "linkage"
    verbose_name = _("Case linking and networks")

    def ready(self):
        # New and changed clues and cases are checked for links (saohei.linkage.signals).
        from . import signals

        signals.connect()
