"""Candidate vetting (资格审查): a list of candidates screened against records, case suspects,
officials dealt with and clue subjects, under rules with time windows.

A Batch is one uploaded list; each Candidate gets the hits the matcher found (Hit: which
record, how sure, why, which rules it meets), an overall tier and, once a reviewer has looked,
a decision. A reviewer's judgement that a candidate is or is not a record's person is kept
(Judgement) and applied to later batches, so the same question is not asked twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import TrackedModel
from saohei.core.normalize import normalize_id_number
from saohei.core.querysets import ScopedQuerySet
from saohei.entities.matching import Tier
from saohei.orgs.choices import Role

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)


class Source(models.TextChoices):
    """What a candidate is screened against."""

    RECORD = "record", _("criminal or misconduct record")
    SUSPECT = "suspect", _("suspect in a case")
    OFFICIAL = "official", _("official dealt with in a case")
    CLUE_SUBJECT = "clue_subject", _("subject of a clue")


class Effect(models.TextChoices):
    DISQUALIFY = "disqualify", _("disqualifies")
    REVIEW = "review", _("needs review")


class Decision(models.TextChoices):
    CLEAR = "clear", _("clear")
    DISQUALIFY = "disqualify", _("disqualify")
    REVIEW = "review", _("needs review")


class OfficeQuerySet(ScopedQuerySet):
    """Vetting is the office's work: its staff and leaders see the batches of their
    jurisdiction."""

    jurisdiction_path = "jurisdiction_id"

    def scope_visible(self, user):
        if not user.has_role(*OFFICE_ROLES):
            return self.none()
        return self.filter(**{f"{self.jurisdiction_path}__in": user.jurisdiction_ids})

    def scope_editable(self, user):
        if not user.has_perm("vetting.add_batch"):
            return self.none()
        return self.scope_visible(user)


class RuleQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.all() if user.has_role(*OFFICE_ROLES) else self.none()

    def scope_editable(self, user):
        return self.all() if user.has_perm("vetting.change_rule") else self.none()

    def active(self):
        return self.filter(is_active=True)


class Rule(TrackedModel):
    """A disqualifying condition (or one that asks for review): which hits meet it.

    A hit meets the rule when it comes from `source`, is of one of `kinds` (record types; any
    when empty), its text holds one of `keywords` (any when empty), it lies within
    `window_years` before the screening day (any age when empty), and, with `open_only`, its
    case or clue is still open."""

    name = models.CharField(_("rule"), max_length=100)
    source = models.CharField(_("screened against"), max_length=20, choices=Source.choices)
    kinds = models.JSONField(_("record types"), default=list, blank=True)
    keywords = models.CharField(
        _("offences or words"),
        max_length=500,
        blank=True,
        help_text=_("Separate several with 、; empty means any."),
    )
    window_years = models.PositiveSmallIntegerField(
        _("within years"), null=True, blank=True, help_text=_("Empty means any age.")
    )
    open_only = models.BooleanField(_("only while the case or clue is open"), default=False)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vetting rule")
        verbose_name_plural = _("vetting rules")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        from saohei.entities.models import split_list

        return split_list(self.keywords)

    def met_by(self, fact, screened_on: datetime.date) -> bool:
        """Whether a Fact (saohei.vetting.screening) meets this rule."""
        if fact.source != self.source:
            return False
        if self.kinds and fact.kind not in self.kinds:
            return False
        keywords = self.keyword_list()
        if keywords and not any(k in fact.text for k in keywords):
            return False
        if self.window_years is not None:
            if fact.on is None:
                return False
            try:
                start = screened_on.replace(year=screened_on.year - self.window_years)
            except ValueError:  # 29 February
                start = screened_on.replace(year=screened_on.year - self.window_years, day=28)
            if fact.on < start:
                return False
        return not (self.open_only and not fact.open)


class BatchQuerySet(OfficeQuerySet):
    pass


class Batch(TrackedModel):
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file"), max_length=200)
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    screened_on = models.DateField(_("screened on"))
    job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The first sheet's headers as given, so the result sheet repeats the list as it came.
    headers = models.JSONField(default=list, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("vetting batch")
        verbose_name_plural = _("vetting batches")
        ordering = ["-created_at", "-id"]
        permissions = [("decide_candidate", _("Can decide on vetted candidates"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("vetting_batch", args=[self.pk])

    def figures(self) -> dict:
        """Screened, confirmed, possible, clean, disqualified (by decision), undecided."""
        counts = self.candidates.aggregate(
            screened=models.Count("pk"),
            confirmed=models.Count("pk", filter=Q(tier=Tier.CONFIRMED)),
            possible=models.Count("pk", filter=Q(tier=Tier.POSSIBLE)),
            clean=models.Count("pk", filter=Q(tier=Tier.NONE)),
            meets_rule=models.Count("pk", filter=~Q(rules_met="")),
            disqualified=models.Count("pk", filter=Q(decision=Decision.DISQUALIFY)),
            cleared=models.Count("pk", filter=Q(decision=Decision.CLEAR)),
            to_review=models.Count(
                "pk", filter=Q(decision="") & ~Q(tier=Tier.NONE) | Q(decision=Decision.REVIEW)
            ),
        )
        return counts


class CandidateQuerySet(OfficeQuerySet):
    jurisdiction_path = "batch__jurisdiction_id"


class Candidate(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="candidates")
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_index = BlindIndexField(
        source="id_number", purpose="id_number", normalize=normalize_id_number
    )
    place = models.CharField(_("village or unit"), max_length=200, blank=True)
    position = models.CharField(_("position sought"), max_length=100, blank=True)
    cells = models.JSONField(default=list, blank=True)  # the row as given, every column
    tier = models.CharField(_("conclusion"), max_length=10, choices=Tier.choices)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    reasons = models.TextField(_("reasons"), blank=True)
    rules_met = models.TextField(_("rules met"), blank=True)
    disqualifying = models.BooleanField(_("meets a disqualifying rule"), default=False)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["batch", "row"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("vetting_candidate", args=[self.pk])


class Hit(models.Model):
    """One record (or suspect, official, clue subject) the matcher found for a candidate."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="hits")
    source = models.CharField(_("screened against"), max_length=20, choices=Source.choices)
    target = models.CharField(max_length=40)  # "record:12": what judgements refer to
    label = models.CharField(_("record"), max_length=300)
    on = models.DateField(_("date"), null=True, blank=True)
    tier = models.CharField(_("conclusion"), max_length=10, choices=Tier.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    rules = models.JSONField(_("rules met"), default=list)
    judged = models.BooleanField(_("judged by a reviewer before"), default=False)

    class Meta:
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        ordering = ["candidate", "-score", "id"]

    def __str__(self):
        return self.label


class JudgementQuerySet(OfficeQuerySet):
    pass


class Judgement(TrackedModel):
    """A reviewer's word that the candidate with `identity` is (or is not) the person of
    `target` (a hit's target). `identity` is a keyed hash (no plain ID or name is kept)."""

    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    identity = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=40)
    same = models.BooleanField(_("same person"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = JudgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity judgement")
        verbose_name_plural = _("identity judgements")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "identity", "target"], name="vetting_judgement_once"
            )
        ]

    def __str__(self):
        return f"{self.target}: {'=' if self.same else '≠'}"
