from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "saohei.campaigns"
    label = "campaigns"
    verbose_name = _("Targets and drives")
