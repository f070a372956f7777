"""What the portal asks with choices, so a report takes a few minutes (like 12337)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Behaviour(models.TextChoices):
    VIOLENCE = "violence", _("violence, threats, intimidation")
    EXTORTION = "extortion", _("extortion, 'protection money'")
    FORCED_TRADE = "forced_trade", _("forced trading, market bullying, monopoly")
    PROVOKING = "provoking", _("picking quarrels, gang fights")
    LOAN = "loan", _("illegal lending, 'routine loans', violent debt collection")
    PROJECT = "project", _("seizing building contracts, blocking work for bribes")
    LAND = "land", _("illegal land use, illegal sand or ore mining")
    ELECTION = "election", _("rigging or disrupting village elections")
    OIL = "oil", _("stealing crude oil, damaging oil-field equipment")
    VICE = "vice", _("gambling dens, prostitution, drugs")
    OTHER = "other", _("other")


class When(models.TextChoices):
    ONGOING = "ongoing", _("still going on")
    WEEK = "week", _("within the last week")
    MONTH = "month", _("within the last month")
    YEAR = "year", _("within the last year")
    OLDER = "older", _("more than a year ago")
    UNKNOWN = "unknown", _("not sure")


class Umbrella(models.TextChoices):
    NO = "no", _("no, or I do not know")
    YES = "yes", _("yes, an official protects them")
