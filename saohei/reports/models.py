"""Monthly indicators (月度指标): figures the briefing needs that other systems hold — police
call-outs (接警) and cases accepted (受理案件) per police unit, publicity items, media
reports — imported monthly from the indicator ledger (docs/indicator-ledger.md,
saohei.reports.indicators).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit

# The campaign office (head, staff, custodian, district leader) sees its jurisdiction's values.
OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)


class Indicator(TrackedModel):
    """A monthly indicator: a maintained list (接警数, 受理案件数, 宣传品发放数, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    measure = models.CharField(
        _("unit of measure"), max_length=8, help_text=_("Such as 起, 件, 份, 篇 or 场.")
    )
    unit_kinds = models.JSONField(
        _("reported by unit kinds"),
        default=list,
        blank=True,
        help_text=_("The kinds of unit that report this indicator; empty: any unit."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("monthly indicator")
        verbose_name_plural = _("monthly indicators")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def reported_by(self, kind: str) -> bool:
        """Whether units of `kind` report this indicator."""
        return not self.unit_kinds or kind in self.unit_kinds

    @property
    def unit_kind_labels(self) -> list[str]:
        return [str(UnitKind(k).label) for k in self.unit_kinds if k in UnitKind.values]


class MonthlyValueQuerySet(ScopedQuerySet):
    """The office sees the values of its jurisdiction's units (and those below); an agency
    sees its own unit's values; the three officers nothing (ScopedQuerySet)."""

    def scope_visible(self, user):
        if user.unit_id is None:
            return self.none()
        seen = Q(unit_id=user.unit_id)
        if user.has_role(*OFFICE_ROLES):
            seen |= Q(unit__jurisdiction_id__in=user.jurisdiction_ids)
        return self.filter(seen)

    def scope_editable(self, user):
        # Values change only by importing the ledger, which the office does.
        if not user.has_perm("reports.import_indicators"):
            return self.none()
        return self.scope_visible(user)


class MonthlyValue(TrackedModel):
    """One unit's value of one indicator for one month."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="monthly_values"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.PositiveBigIntegerField(_("value"))
    note = models.CharField(_("source note"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MonthlyValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly value")
        verbose_name_plural = _("monthly values")
        ordering = ["-month", "indicator__sort_order", "unit__sort_order"]
        permissions = [("import_indicators", _("Can import the indicator ledger"))]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "indicator"],
                name="reports_monthlyvalue_unit_month_indicator",
                violation_error_message=_(
                    "This unit already has a value of this indicator for this month."
                ),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "month"])]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m} {self.indicator}: {self.value}"

    def save(self, *args, **kwargs):
        # The month is its first day. Not a CHECK constraint: on SQLite that would call one of
        # Django's own SQL functions, which the sqlite3 shell (integrity_check, restoring a
        # dump) does not have.
        if self.month is not None:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)
