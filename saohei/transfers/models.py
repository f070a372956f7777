"""Transfers between agencies (移送/移交): a clue or a case sent from one unit to another.

The receiving unit signs for it (签收) and answers (反馈) by deadlines counted in working
days, or returns it with a reason (退回). A transfer is open until it is answered or
returned (DESIGN §3), and it is late when a deadline passes while it waits.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.orgs.models import Jurisdiction, Unit

from .choices import OPEN_TRANSFER_STATUSES, TransferKind, TransferStatus
from .querysets import TransferQuerySet, TransferRelatedQuerySet


class Transfer(TrackedModel):
    number = models.CharField(_("transfer number"), max_length=20, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("clue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="transfers_sent"
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("to unit"),
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    reason = models.TextField(_("reason and matters transferred"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    acknowledge_due = models.DateField(_("acknowledge by"))
    answer_due = models.DateField(_("answer by"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.SENT,
        db_index=True,
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_at", "-number"]
        permissions = [
            ("send_transfer", _("Can send transfers")),
            ("receive_transfer", _("Can acknowledge and answer transfers")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(clue__isnull=False) | Q(case__isnull=False),
                name="transfer_of_clue_or_case",
            ),
        ]
        indexes = [
            models.Index(fields=["to_unit", "status"]),
            models.Index(fields=["from_unit", "status"]),
            # The figures (saohei.reports.figures), counted from these two indexes without
            # reading the rows: transfers answered late or not at all by a day, and the
            # matrix of transfers by kind of unit (0.30 s → 0.10 s and 0.17 s → 0.08 s for
            # 50,000 transfers, bench/bench_figures.py).
            models.Index(
                fields=["answer_due", "sent_at", "answered_at", "returned_at", "jurisdiction"],
                name="transfers_figures_late",
            ),
            models.Index(
                fields=[
                    *("sent_at", "from_unit", "to_unit"),
                    *("answered_at", "returned_at", "jurisdiction"),
                ],
                name="transfers_figures_matrix",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def subject(self):
        """The clue or case transferred."""
        return self.case or self.clue

    def contents_visible_to(self, user) -> bool:
        """The reason, answer and files of an umbrella matter are read only by the two
        units and the office head (DESIGN §4); others see that it exists and where it is."""
        if self.kind != TransferKind.UMBRELLA:
            return True
        from saohei.orgs.choices import Role

        return user.unit_id in (self.from_unit_id, self.to_unit_id) or user.has_role(
            Role.OFFICE_ADMIN
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES

    def late_acknowledgement(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == TransferStatus.SENT and self.acknowledge_due < today

    def late_answer(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.answer_due < today


def attachment_path(instance, filename):
    return f"transfers/{instance.transfer_id}/{filename}"


class TransferAttachment(TrackedModel):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TransferRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer attachment")
        verbose_name_plural = _("transfer attachments")

    def __str__(self):
        return self.name
