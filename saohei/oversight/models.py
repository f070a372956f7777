"""Member-unit oversight: the assessment (考核) of each unit per period, and the records it
reads besides clues and rectification: publicity activities (宣传), the special funds
(专项经费) and training (培训). The rules that compute from these records live in
assessment.py, publicity.py, funds.py and training.py beside them; the writes in actions.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel

from .choices import FundPurpose, Method, PublicityKind
from .querysets import AllocationQuerySet, ListQuerySet, PeriodQuerySet, UnitRecordQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


def publicity_path(instance, filename):
    return f"oversight/publicity/{instance.unit_id}/{filename}"


def answer_path(instance, filename):
    return f"oversight/answers/{instance.unit_id}/{filename}"


# Assessment ---------------------------------------------------------------------------------


class AssessmentPeriod(TrackedModel):
    """A period the member units are assessed over (考核周期), e.g. 2019年上半年."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-end", "-id"]
        permissions = [("view_ranking", _("Can see the ranking of member units"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="oversight_period_end_after_start",
                violation_error_message=_("The end of the period is before its start."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end of the period is before its start.")})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assessment_ranking", args=[self.pk])


class AssessmentItem(TrackedModel):
    """One line of the checklist, with its weight (the points it is worth). Computed items
    are answered from the records; the others by the unit, with evidence."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("item"), max_length=100)
    description = models.CharField(_("what is asked"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )
    method = models.CharField(_("answered by"), max_length=20, choices=Method.choices)
    target = models.PositiveSmallIntegerField(
        _("target count"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("For counted items: the count that earns the full weight."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ListQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="oversight_item_weight_not_negative",
                violation_error_message=_("A weight cannot be negative."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def computed(self) -> bool:
        from .choices import COMPUTED

        return self.method in COMPUTED


class AssessmentAnswer(TrackedModel):
    """A unit's answer to an item answered with evidence (or with its staff counts)."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="answers")
    done = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("evidence (note)"), blank=True)
    file = models.FileField(_("evidence (file)"), upload_to=answer_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    full_time = models.PositiveSmallIntegerField(_("full-time staff"), null=True, blank=True)
    part_time = models.PositiveSmallIntegerField(_("part-time staff"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        ordering = ["period", "unit", "item__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "item"],
                name="oversight_one_answer_per_item",
                violation_error_message=_("This item is already answered for the unit."),
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.item}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.note.strip() or self.file)


# Publicity ----------------------------------------------------------------------------------


class PublicityActivity(TrackedModel):
    """One publicity activity of a unit (宣传活动): banners hung, brochures handed out, a
    performance … Its text (typed, or read from an uploaded .txt/.docx) has gone through the
    wording check; `findings` keeps what the check found."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("form"), max_length=20, choices=PublicityKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    outlet = models.CharField(_("outlet or place"), max_length=200, blank=True)
    media_reports = models.PositiveIntegerField(_("media reports"), default=0)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=publicity_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    findings = models.JSONField(_("wording findings"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity activity")
        verbose_name_plural = _("publicity activities")
        ordering = ["-held_on", "-id"]
        permissions = [("import_publicity", _("Can import the publicity ledger"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="oversight_publicity_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            )
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("publicity_detail", args=[self.pk])


# Funds --------------------------------------------------------------------------------------


class FundAllocation(TrackedModel):
    """Special funds allocated to a unit (专项经费下拨), in yuan."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    allocated_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=FundPurpose.choices, blank=True)
    source = models.CharField(_("source of funds"), max_length=100, blank=True)
    document = models.CharField(_("document number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-allocated_on", "-id"]
        permissions = [("import_funds", _("Can import the fund ledger"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="oversight_allocation_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.amount}"


class FundSpending(TrackedModel):
    """Special funds a unit spent (专项经费支出), in yuan. Reward payouts are not entered
    here: they are counted from the clues' rewards (saohei.oversight.funds)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=FundPurpose.choices)
    voucher = models.CharField(_("voucher number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spending")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="oversight_spending_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(purpose=FundPurpose.REWARD),
                name="oversight_spending_not_reward",
                violation_error_message=_(
                    "Reward payouts are counted from the clues' rewards: do not enter them by hand."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.amount}"


# Training -----------------------------------------------------------------------------------


class TrainingTopic(TrackedModel):
    """A training topic; a listed one (必训) is one every member unit must train on, such as
    a new judicial interpretation, from the day it takes effect."""

    name = models.CharField(_("topic"), max_length=200, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    listed = models.BooleanField(_("every unit must train on it"), default=True)
    since = models.DateField(
        _("in force since"),
        null=True,
        blank=True,
        help_text=_("Sessions before this day do not count for the topic."),
    )
    due_by = models.DateField(_("train by"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ListQuerySet.as_manager()

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class TrainingSession(TrackedModel):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    topic = models.ForeignKey(
        TrainingTopic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    attendees = models.PositiveIntegerField(_("attendees"), validators=[MinValueValidator(1)])
    attendee_names = models.TextField(_("attendee names"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="oversight_training_attendees_positive",
                violation_error_message=_("At least one person attended."),
            )
        ]

    def __str__(self):
        return self.title
