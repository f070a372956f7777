"""Cases (案件): opened from clues or directly, moved through their stages by the units that
handle them, with suspects, assets, the three checks of 一案三查 and, for umbrella cases, the
officials involved. Every change of stage is a StageMove (the domain event), so the stage of a
case on any past day can be computed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.clues.querysets import ClueRelatedQuerySet
from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import TrackedModel
from saohei.core.normalize import normalize_id_number
from saohei.orgs.models import Jurisdiction, Unit

from .choices import (
    GANG_KINDS,
    AssetKind,
    AssetMeasure,
    CaseKind,
    CheckPart,
    CheckStatus,
    ClosingReason,
    DisposalStatus,
    DisposalWay,
    OfficialOutcome,
    OfficialRank,
    Stage,
    SuspectOutcome,
    SuspectRole,
)
from .querysets import CaseQuerySet, CaseRelatedQuerySet


def in_order_of(field: str, choices) -> models.Case:
    """Order by the position of the value in its choices (the law's order: 查犯罪, 查保护伞,
    查失职; the ringleader before core and ordinary members), not alphabetically."""
    return models.Case(
        *(models.When(**{field: value}, then=i) for i, value in enumerate(choices.values)),
        default=len(choices.values),
    )


class Charge(TrackedModel):
    """涉嫌罪名: a maintained list (寻衅滋事, 敲诈勒索, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Case(TrackedModel):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    name = models.CharField(_("case name"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    charges = models.ManyToManyField(Charge, verbose_name=_("charges"), blank=True)
    summary = models.TextField(_("facts of the case"), blank=True)
    clues = models.ManyToManyField(
        "clues.Clue", verbose_name=_("clues"), blank=True, related_name="cases"
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opening_unit = models.ForeignKey(
        Unit, verbose_name=_("opening unit"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        Unit, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="cases"
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.INVESTIGATION,
        db_index=True,
    )
    stage_since = models.DateField(_("in this stage since"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("how it closed"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    protects = models.ForeignKey(
        "self",
        verbose_name=_("gang case it protected"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="umbrella_cases",
        help_text=_("For an umbrella case: the gang case whose protection it investigates."),
    )
    is_typical = models.BooleanField(_("typical case"), default=False)
    typical_summary = models.TextField(
        _("summary for publication"),
        blank=True,
        help_text=_("Written for the public: no names of victims or informants."),
    )
    is_oil = models.BooleanField(_("oil-field case"), default=False)
    crude_oil_tonnes = models.DecimalField(
        _("crude oil recovered (tonnes)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    oil_sites = models.CharField(
        _("oil wells, pipelines or plants involved"), max_length=300, blank=True
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-number"]
        permissions = [
            ("open_case", _("Can open cases")),
            ("handle_case", _("Can handle cases")),
            ("record_check", _("Can record the three checks")),
            ("export_case", _("Can export the case ledger")),
            ("import_case", _("Can import the case ledger")),
            ("manage_charges", _("Can maintain the list of charges")),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "opened_on"]),
            models.Index(fields=["handling_unit", "stage"]),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_gang_type(self) -> bool:
        return self.kind in GANG_KINDS

    def missing_checks(self) -> list[str]:
        """The parts of 一案三查 not yet recorded, by label; empty when none is missing or the
        case is not gang-type."""
        if not self.is_gang_type:
            return []
        done = {
            c.part for c in self.checks.all() if c.status == CheckStatus.DONE and c.result.strip()
        }
        return [str(label) for part, label in CheckPart.choices if part not in done]


class StageMove(models.Model):
    """One step of a case: opened, handed to the procuratorate or the court, returned for
    more investigation, closed. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moves")
    at = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=30)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case stage move")
        verbose_name_plural = _("case stage moves")
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["unit", "case"])]

    def __str__(self):
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class Suspect(TrackedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_index = BlindIndexField(
        source="id_number", purpose="id_number", normalize=normalize_id_number
    )
    role = models.CharField(_("role"), max_length=10, choices=SuspectRole.choices)
    outcome = models.CharField(
        _("measure or outcome"),
        max_length=20,
        choices=SuspectOutcome.choices,
        default=SuspectOutcome.DETAINED,
    )
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    is_public_official = models.BooleanField(_("public official"), default=False)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["case", in_order_of("role", SuspectRole), "id"]

    def __str__(self):
        return self.name


class Asset(TrackedModel):
    """Seized, frozen, confiscated property and fines (涉案资产), in yuan and counts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=AssetMeasure.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    on = models.DateField(_("date"), null=True, blank=True)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["case", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.description}"


class ThreeWayCheck(TrackedModel):
    """One of the three checks of 一案三查 on a gang-type case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checks")
    part = models.CharField(_("check"), max_length=10, choices=CheckPart.choices)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    result = models.TextField(_("result"), blank=True)
    discipline_case = models.ForeignKey(
        Case,
        verbose_name=_("discipline case it produced"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("one case, three investigations check")
        verbose_name_plural = _("one case, three investigations checks")
        ordering = ["case", in_order_of("part", CheckPart)]
        constraints = [
            models.UniqueConstraint(fields=["case", "part"], name="one_check_per_part"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_part_display()}"


class Official(TrackedModel):
    """An official involved in an umbrella or corruption case (涉案公职人员)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("name"), max_length=50)
    employer = models.CharField(_("unit"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=OfficialRank.choices)
    is_public_official = models.BooleanField(_("public official"), default=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=OfficialOutcome.choices,
        default=OfficialOutcome.PENDING,
    )
    outcome_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CaseRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("official involved")
        verbose_name_plural = _("officials involved")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.name}（{self.employer}）"


class DisposalRule(TrackedModel):
    """Working days allowed for each of the discipline commission's four ways."""

    way = models.CharField(_("way"), max_length=20, choices=DisposalWay.choices, unique=True)
    workdays = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("disposal limit")
        verbose_name_plural = _("disposal limits")
        ordering = ["way"]

    def __str__(self):
        return f"{self.get_way_display()}: {self.workdays}"


class Disposal(TrackedModel):
    """The discipline commission's disposal of an umbrella clue (处置方式): proposed by an
    inspector, signed off by a leader, then done by a deadline in working days."""

    clue = models.ForeignKey("clues.Clue", on_delete=models.PROTECT, related_name="disposals")
    unit = models.ForeignKey(
        Unit, verbose_name=_("discipline unit"), on_delete=models.PROTECT, related_name="+"
    )
    way = models.CharField(_("way"), max_length=20, choices=DisposalWay.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisposalStatus.choices,
        default=DisposalStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ClueRelatedQuerySet.as_manager()  # visible with the clue

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-created_at"]
        permissions = [("sign_off_disposal", _("Can sign off disposals"))]

    def __str__(self):
        return f"{self.clue} {self.get_way_display()}"

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return (
            self.status == DisposalStatus.APPROVED
            and self.due is not None
            and self.due < timezone.localdate()
        )
