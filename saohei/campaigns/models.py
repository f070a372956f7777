"""Campaign targets (目标), drives (专项行动) and the register of rules and meetings.

A Target sets a goal for a measure of the figures (saohei.campaigns.measures) by a deadline:
bring old open clues, unconcluded clues or open gang cases down to zero (清零), or raise a
rate. Its value on any day is computed from the records, never stored, so the path since the
start is the same whenever it is drawn. A Drive is a push over a period with participating
units, its own targets and the clues and cases tagged to it. The register keeps the rules
and mechanisms (制度、机制) the district set up and the meetings held, with their files.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

from .measures import Measure, is_rate

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)


class CampaignQuerySet(ScopedQuerySet):
    """The office's staff and leaders see everything of their jurisdictions; a member unit
    sees what concerns it: targets and drives that list it (or that cover the whole
    district), its own rules and meetings. Only the office sets targets and drives; a unit
    keeps its own register entries. `units_path` names the units an item concerns (empty:
    the whole district); `unit_path` the unit an entry belongs to."""

    units_path = "units"
    unit_path = ""

    def scope_visible(self, user):
        mine = Q(jurisdiction_id__in=user.jurisdiction_ids)
        if user.has_role(*OFFICE_ROLES):
            return self.filter(mine)
        if self.unit_path:
            return self.filter(mine, **{self.unit_path: user.unit_id})
        listed = Q(**{self.units_path: user.unit_id}) | Q(**{f"{self.units_path}__isnull": True})
        return self.filter(mine & listed).distinct()

    def scope_editable(self, user):
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self.none()
        if user.has_role(*OFFICE_ROLES):
            return self.filter(jurisdiction_id__in=user.jurisdiction_ids)
        if self.unit_path:
            return self.filter(
                jurisdiction_id__in=user.jurisdiction_ids, **{self.unit_path: user.unit_id}
            )
        return self.none()


class TargetQuerySet(CampaignQuerySet):
    """A drive's target that lists no units of its own concerns the drive's units."""

    def scope_visible(self, user):
        mine = Q(jurisdiction_id__in=user.jurisdiction_ids)
        if user.has_role(*OFFICE_ROLES):
            return self.filter(mine)
        unit = user.unit_id
        listed = Q(units=unit) | Q(units__isnull=True) & (
            Q(drive__isnull=True) | Q(drive__units=unit) | Q(drive__units__isnull=True)
        )
        return self.filter(mine & listed).distinct()


class RegisterQuerySet(CampaignQuerySet):
    unit_path = "unit_id"


class Drive(TrackedModel):
    """A special drive (专项行动), e.g. a hundred-day push (百日攻坚) on oil-field crime."""

    name = models.CharField(_("name"), max_length=100)
    theme = models.TextField(_("theme"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("participating units"), blank=True, related_name="+"
    )
    clues = models.ManyToManyField(
        "clues.Clue", verbose_name=_("clues"), blank=True, related_name="drives"
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), blank=True, related_name="drives"
    )
    publicity = models.ManyToManyField(
        "oversight.PublicityActivity",
        verbose_name=_("publicity activities"),
        blank=True,
        related_name="drives",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("drive")
        verbose_name_plural = _("drives")
        ordering = ["-start", "name"]
        permissions = [("export_drive", "Can download a drive report")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns_drive", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})


class Target(TrackedModel):
    """A goal for one measure by a deadline. `goal` is a count (clear to zero: 0) or, for a
    rate, a percentage (90 = 90 %)."""

    name = models.CharField(_("name"), max_length=100)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    days = models.PositiveSmallIntegerField(
        _("older than (days)"),
        null=True,
        blank=True,
        help_text=_("For open clues received more than N days before: N."),
    )
    categories = models.JSONField(_("categories"), default=list, blank=True)
    goal = models.DecimalField(_("goal"), max_digits=7, decimal_places=2, default=0)
    start = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField(
        "orgs.Unit",
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: the whole district."),
    )
    drive = models.ForeignKey(
        Drive,
        verbose_name=_("drive"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["deadline", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns_target", args=[self.pk])

    @property
    def is_rate(self) -> bool:
        return is_rate(self.measure)

    def goal_value(self) -> float:
        """The goal in the measure's own terms: a count, or a rate as a fraction."""
        return float(self.goal) / 100 if self.is_rate else float(self.goal)

    def unit_ids(self) -> set[int]:
        """The units the target covers: those it lists, else its drive's participating
        units; empty for the whole district."""
        own = {u.pk for u in self.units.all()}
        if own or self.drive_id is None:
            return own
        return {u.pk for u in self.drive.units.all()}

    def received_before(self, day: datetime.date) -> datetime.date:
        """For old open clues: received before this day means older than `days` on `day`."""
        return day - datetime.timedelta(days=self.days or 0)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start and self.deadline and self.deadline <= self.start:
            errors["deadline"] = _("The deadline must come after the start.")
        if self.measure == Measure.OLD_OPEN_CLUES and not self.days:
            errors["days"] = _("Give the number of days after which an open clue counts.")
        if self.is_rate and not (0 < self.goal <= 100):
            errors["goal"] = _("A rate's goal is a percentage between 0 and 100.")
        if not self.is_rate and self.goal is not None and self.goal != int(self.goal):
            errors["goal"] = _("A count's goal is a whole number (0 to clear to zero).")
        if errors:
            raise ValidationError(errors)


class Regulation(TrackedModel):
    """A rule or mechanism (制度/机制) the district or a unit set up."""

    class Kind(models.TextChoices):
        RULE = "rule", _("rule")  # 制度
        MECHANISM = "mechanism", _("mechanism")  # 机制

    class State(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        REPLACED = "replaced", _("replaced")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RULE)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    file = models.FileField(_("file"), upload_to="register/%Y/", blank=True)
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule or mechanism")
        verbose_name_plural = _("rules and mechanisms")
        ordering = ["-issued_on", "title"]

    def __str__(self):
        return self.title


class Meeting(TrackedModel):
    """A meeting held: the leading group's, a unit's, or a study session, with its record."""

    class Kind(models.TextChoices):
        LEADING_GROUP = "leading_group", _("leading-group meeting")  # 领导小组会议
        UNIT = "unit", _("unit meeting")  # 单位专题会议
        STUDY = "study", _("study session")  # 专题学习

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("attendees"), blank=True)
    topics = models.TextField(_("topics"))
    minutes = models.TextField(_("minutes"), blank=True)
    file = models.FileField(_("file"), upload_to="register/%Y/", blank=True)
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "unit"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"

    @property
    def has_record(self) -> bool:
        """A meeting counts as recorded when its minutes are written or filed."""
        return bool(self.minutes.strip() or self.file)
