"""Public reports (举报) made on the portal, their receipt codes and the two-way follow-up.

A Report is the portal side of one clue: the clue (saohei.clues) holds what was reported and
the informant's identity (encrypted, shown only to the custodian); the Report holds how the
reporter comes back — a fast look-up key and a slow hash of the receipt code, never the code
itself — and the messages between the reporter and the office.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.clues.models import Attachment, Clue
from saohei.clues.querysets import clue_visibility
from saohei.core.models import TrackedModel
from saohei.core.querysets import ScopedQuerySet


class ReportQuerySet(ScopedQuerySet):
    """Visible with their clue (DESIGN §4): whoever may read the clue reads its messages."""

    def scope_visible(self, user):
        return self.filter(clue_visibility(user, prefix="clue__"))

    def scope_editable(self, user):
        from saohei.clues.querysets import AGENCY_ROLES, OFFICE_ROLES
        from saohei.orgs.choices import Role

        if not user.has_role(*(set(OFFICE_ROLES) - {Role.LEADER_VIEWER}), *AGENCY_ROLES):
            return self.none()
        return self.scope_visible(user)


class MessageQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(clue_visibility(user, prefix="report__clue__"))


class Report(TrackedModel):
    clue = models.OneToOneField(
        Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="portal_report"
    )
    # HMAC of the code under a key derived from the data key: finds the report in one indexed
    # look-up. The slow hash (Argon2 in production) is checked after it.
    lookup = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=200, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    # Kept only when SAOHEI_PORTAL_KEEP_IP is on; empty otherwise.
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    reporter_seen_at = models.DateTimeField(_("reporter last came back"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal report")
        verbose_name_plural = _("portal reports")
        ordering = ["-submitted_at"]

    def __str__(self):
        return str(self.clue)


class MessageKind(models.TextChoices):
    QUESTION = "question", _("question from the office")
    REPLY = "reply", _("message from the office")
    FEEDBACK = "feedback", _("feedback on the result")
    ANSWER = "answer", _("answer from the reporter")
    INFO = "info", _("more information from the reporter")
    CLAIM = "claim", _("reward claim from the reporter")


FROM_OFFICE = (MessageKind.QUESTION, MessageKind.REPLY, MessageKind.FEEDBACK)


class Message(TrackedModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.ForeignKey(
        "self",
        verbose_name=_("answers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    read_at = models.DateTimeField(_("read by the office"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporter message")
        verbose_name_plural = _("reporter messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report}: {self.get_kind_display()}"

    @property
    def from_office(self) -> bool:
        return self.kind in FROM_OFFICE


class Throttle(models.Model):
    """A counter per scope and window: wrong receipt codes, submissions. The key is a keyed
    hash of the scope and the source (never the address itself) and the row is dropped once
    its window has passed."""

    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self):
        return f"{self.key[:8]}: {self.count}"
