from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OFFICE = "office", _("campaign office")
    POLICE = "police", _("public security")
    PROCURATORATE = "procuratorate", _("procuratorate")
    COURT = "court", _("court")
    DISCIPLINE = "discipline", _("discipline inspection and supervision")
    REGULATOR = "regulator", _("industry regulator")
    TOWNSHIP = "township", _("town or street")
    OTHER = "other", _("other")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("office head")
    OFFICE_STAFF = "office_staff", _("office staff")
    HANDLER = "handler", _("handler")
    UNIT_LEADER = "unit_leader", _("unit leader")
    DISCIPLINE = "discipline", _("discipline inspector")
    LEADER_VIEWER = "leader_viewer", _("district leader")
    CLUE_CUSTODIAN = "clue_custodian", _("clue custodian")
    SYSADMIN = "sysadmin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDITOR = "auditor", _("security auditor")
