from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("company")
    COOPERATIVE = "cooperative", _("cooperative")
    INDIVIDUAL = "individual", _("individual business")
    VILLAGE = "village", _("village committee")
    PUBLIC = "public", _("public body")
    OTHER = "other", _("other")


class MentionRole(models.TextChoices):
    """The part a person, organization, vehicle or phone plays in a clue or case."""

    SUBJECT = "subject", _("reported subject")
    SUSPECT = "suspect", _("suspect")
    VICTIM = "victim", _("victim")
    WITNESS = "witness", _("witness")
    INFORMANT = "informant", _("informant")
    OFFICIAL = "official", _("official involved")


class RecordKind(models.TextChoices):
    """Kinds of 前科劣迹. The labels are what the records ledger's 记录类型 column takes."""

    GANG_CRIME = "gang_crime", _("gang or evil-force crime")
    CRIMINAL = "criminal", _("criminal penalty")
    ADMINISTRATIVE = "administrative", _("administrative penalty")
    DISCIPLINE = "discipline", _("party or government sanction")
    OTHER = "other", _("other misconduct")
