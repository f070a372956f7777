"""The clue (线索): registration, routing, verification, deadlines and supervision.

Every change of status is a Move (the domain event): who, when, from, to, why. The clue row
holds the current state for fast lists; the moves hold the history from which the status on
any past day is computed (saohei.clues.asof), so a report for 2019-06-30 is the same whenever
it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import TrackedModel
from saohei.core.normalize import normalize_id_number, normalize_phone
from saohei.orgs.models import Jurisdiction, Unit

from .choices import (
    OPEN_STATUSES,
    Category,
    Channel,
    Decision,
    Finding,
    NoticeLevel,
    RewardStatus,
    Source,
    Status,
)
from .querysets import ClueQuerySet, ClueRelatedQuerySet


class Industry(TrackedModel):
    """涉及行业: an editable list (自然资源, 交通运输, …)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DeadlineRule(TrackedModel):
    """Default verification limit in working days per category, set by the office head."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    workdays = models.PositiveSmallIntegerField(
        _("working days to verify"), validators=[MinValueValidator(1)]
    )
    contact_days = models.PositiveSmallIntegerField(
        _("days to tell a named informant the result"), default=30
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["category"]
        permissions = [("manage_rules", _("Can set deadline rules"))]

    def __str__(self):
        return f"{self.get_category_display()}: {self.workdays}"


class Clue(TrackedModel):
    number = models.CharField(_("clue number"), max_length=20, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT
    )
    subjects = models.CharField(_("persons or organizations reported"), max_length=500)
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    full_text = models.TextField(_("full text"), blank=True)
    # Normalised text for substring search in either script (see saohei.clues.search).
    search_text = models.TextField(editable=False, default="")

    anonymous = models.BooleanField(_("anonymous"), default=True)
    informant_name = EncryptedTextField(_("informant name"), blank=True)
    informant_phone = EncryptedTextField(_("informant phone"), blank=True)
    informant_id_number = EncryptedTextField(_("informant ID number"), blank=True)
    informant_phone_index = BlindIndexField(
        source="informant_phone", purpose="phone", normalize=normalize_phone
    )
    informant_id_index = BlindIndexField(
        source="informant_id_number", purpose="id_number", normalize=normalize_id_number
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registering_unit = models.ForeignKey(
        Unit, verbose_name=_("registering unit"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    result = models.TextField(_("result"), blank=True)
    led_to_case = models.BooleanField(_("led to a case"), default=False)
    case_number = models.CharField(_("case number"), max_length=30, blank=True)
    parked_until = models.DateField(_("review date"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    review_of = models.ForeignKey(
        "self",
        verbose_name=_("earlier unfounded clue to review"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A new report about a subject whose earlier clue was found unfounded."),
    )
    informant_contacted_on = models.DateField(
        _("informant told the result on"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # When the clue's latest move was made, if this row holds the state that move left
    # (status, handling unit, and for an open clue the deadline of its last routing); NULL
    # when not known. Figures as of a day after it read the row instead of looking the
    # clue's moves up (saohei.clues.asof); every move written keeps it (Move.save, settle).
    last_moved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ClueQuerySet.as_manager()

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-received_on", "-number"]
        permissions = [
            ("register_clue", _("Can register clues")),
            ("route_clue", _("Can route clues")),
            ("handle_clue", _("Can verify clues")),
            ("approve_clue", _("Can approve conclusions")),
            ("reveal_informant", _("Can read informant identity")),
            ("export_clue", _("Can export the clue ledger")),
            ("import_clue", _("Can import the clue ledger")),
        ]
        indexes = [
            # A unit's clues by status: its to-do (counted on every page, the first few by
            # deadline) read from the index alone, the umbrella check included (a unit with
            # 17,000 clues being verified: 26 ms → 4 ms on SQLite).
            models.Index(
                fields=["assigned_unit", "status", "deadline", "received_on", "category"],
                name="clues_clue_unit_status",
            ),
            # The filtered list's first page (bench/bench_clues.py: 474 ms → 73 ms at 1M).
            # The unfiltered list of an office: ids in date order without reading rows.
            models.Index(
                fields=["jurisdiction", "received_on", "number", "category"],
                name="clues_clue_juris_recv",
            ),
            # The list filtered by status (and category): its page of ids in date order and
            # its count read from the index alone, whoever asks (the columns of the office's
            # and of a unit's scope are in it). Status alone, 40,000 of 100,000 clues: page
            # 111 → 9 ms; a unit's, 17,000: 60 → 8 ms (SQLite; bench/load).
            models.Index(
                fields=[
                    *("status", "received_on", "number"),
                    *("jurisdiction", "category", "assigned_unit", "registering_unit"),
                ],
                name="clues_clue_status_recv",
            ),
            models.Index(
                fields=[
                    *("status", "category", "received_on", "number"),
                    *("jurisdiction", "assigned_unit", "registering_unit"),
                ],
                name="clues_clue_status_cat_scope",
            ),
            # The figures' pass over the clues in id order (saohei.reports.figures): every
            # column it reads, the state on the row included, so it reads this instead of
            # the wide rows.
            models.Index(
                fields=[
                    *("id", "received_on", "last_moved_at", "status", "assigned_unit"),
                    *("deadline", "jurisdiction", "led_to_case", "concluded_on"),
                ],
                name="clues_clue_figures_state",
            ),
            # The figures' count of the clues settled by a day (not moved since) by status,
            # handling unit and deadline: read in this order, grouped without sorting.
            models.Index(
                fields=[
                    *("status", "assigned_unit", "deadline"),
                    *("received_on", "last_moved_at", "jurisdiction"),
                ],
                name="clues_clue_figures_rows",
            ),
            # Whether any clue was moved after a day (figures: nothing to look up as of today)
            # without reading them all.
            models.Index(fields=["last_moved_at"], name="clues_clue_last_moved"),
            # The figures' counts by category, source and day received, and of clues handed
            # over by member units, without reading rows or sorting them.
            models.Index(
                fields=["category", "source", "received_on", "registering_unit", "jurisdiction"],
                name="clues_clue_figures_received",
            ),
            # The few clues marked 是否立案=是 by an imported ledger (figures: clues that led
            # to a case), without reading the others.
            models.Index(
                fields=["concluded_on"],
                condition=models.Q(led_to_case=True),
                name="clues_clue_led_to_case",
            ),
            # The to-do on every page: open clues past their deadline, counted and the first
            # ones listed (clues.nav; 1.1 s → ms at 1M clues, bench/bench_figures.py).
            models.Index(
                fields=["deadline", "status", "jurisdiction", "category", "received_on"],
                name="clues_clue_deadline_status",
            ),
            # The to-do and the deadline board: named informants not yet told the result.
            models.Index(
                fields=["status", "informant_contacted_on", "anonymous", "concluded_on"],
                name="clues_clue_informants",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_umbrella(self) -> bool:
        return self.category == Category.UMBRELLA

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return (
            self.status in OPEN_STATUSES
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )


# What registration asks for, on the page and in the API alike.
REGISTRATION_FIELDS = [
    "received_on", "source", "channel", "category", "industry", "subjects", "place", "summary",
    "full_text", "anonymous", "informant_name", "informant_phone", "informant_id_number",
]  # fmt: skip


class Move(models.Model):
    """One step of a clue's workflow (domain event); append-only."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="moves")
    at = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
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
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("clue move")
        verbose_name_plural = _("clue moves")
        ordering = ["clue", "at", "id"]
        # Covering the as-of look-up (last move of a clue before a time) took the status as of
        # a day over 1M clues from 2.74 s to 1.04 s (bench/bench_clues.py); the figures' pass
        # and sub-look-ups below (bench/bench_figures.py).
        indexes = [
            # The last move of a clue before a time, with the status and handling unit it left,
            # read from the index alone: the status as of a day (saohei.clues.asof) and the
            # figures' pass (saohei.reports.figures).
            models.Index(
                fields=["clue", "at", "id", "to_status", "unit"], name="clues_move_clue_at_unit"
            ),
            # A clue's last routing before a time and the deadline it set (in `data`): the
            # deadline as of a day, for the clues being verified that day. `action` is in the
            # index so that SQLite, given it as a parameter, need not read the row to check it.
            models.Index(
                fields=["clue", "at", "id", "action", "data"],
                condition=models.Q(action="assign"),
                name="clues_move_routing",
            ),
            # The few clues merged as duplicates by a day, and the conclusions per month.
            models.Index(
                fields=["at", "clue", "to_status"],
                condition=models.Q(to_status="merged"),
                name="clues_move_merged",
            ),
            models.Index(
                fields=["at", "clue", "to_status"],
                condition=models.Q(to_status="concluded"),
                name="clues_move_concluded",
            ),
        ]

    def __str__(self):
        return f"{self.clue_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Whether the clue's row now holds the state its latest move left (see
        # Clue.last_moved_at): checked against the moves, not assumed, so a move written
        # without the row (a backdated entry, a correction) sends the clue back to the look-up.
        from .asof import settle

        settle(Clue.objects.filter(pk=self.clue_id))


def _move_deleted(sender, instance, **kwargs):
    from .asof import settle

    settle(Clue.objects.filter(pk=instance.clue_id))


models.signals.post_delete.connect(_move_deleted, sender=Move, dispatch_uid="clues.move_deleted")


class VerificationRecord(TrackedModel):
    """What was done to verify a clue, by whom, with what evidence."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="verifications")
    done_on = models.DateField(_("date"))
    work = models.TextField(_("work done"))
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification record")
        verbose_name_plural = _("verification records")
        ordering = ["clue", "done_on", "id"]


def attachment_path(instance, filename):
    return f"clues/{instance.clue_id}/{filename}"


class Attachment(TrackedModel):
    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="attachments")
    move = models.ForeignKey(
        Move, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ExtensionRequest(TrackedModel):
    """The handling unit asks for more time; the office decides (延期申请)."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    workdays = models.PositiveSmallIntegerField(
        _("extra working days"), validators=[MinValueValidator(1)]
    )
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("deadline before"))
    new_deadline = models.DateField(_("deadline asked for"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at"]


class SupervisionNotice(TrackedModel):
    """提醒/催办/督办/挂牌督办 from the office to the handling unit, acknowledged and answered."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="notices")
    level = models.CharField(_("level"), max_length=10, choices=NoticeLevel.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("notice"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_due = models.DateField(_("answer due"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_level_display()} {self.clue}"

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return self.answered_at is None and self.answer_due < timezone.localdate()


class Reward(TrackedModel):
    """举报奖励: proposed with amount and basis, approved by the office head, then paid."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="rewards")
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(1)]
    )
    basis = models.TextField(_("basis"))
    status = models.CharField(
        _("status"), max_length=10, choices=RewardStatus.choices, default=RewardStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment voucher"), max_length=100, blank=True)

    objects = ClueRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-created_at"]
        permissions = [("approve_reward", _("Can approve rewards"))]
