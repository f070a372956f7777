"""Case linking (串并案): series of clues and cases found to belong together, the link
suggestions that lead to them, and the traces (date, places, method) the suggestions are
found by.

An item is a clue or a case. A pair of items is stored once, in a canonical order (see
`item_key`): case before clue, then by id. A suggestion is open until someone accepts it
(both items go into one series) or rejects it; a decided pair is never suggested again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.core.querysets import ScopedQuerySet


def item_kind(item) -> str:
    """ "clue" or "case"."""
    return item._meta.model_name


def item_key(item) -> str:
    """The item's key: case:12, clue:5. Pairs are stored in the order of (kind, id)."""
    return f"{item_kind(item)}:{item.pk}"


def ordered(a, b) -> tuple:
    return tuple(sorted((a, b), key=lambda i: (item_kind(i), i.pk)))


def pair_keys(a, b) -> tuple[str, str]:
    """(a_key, b_key) of the pair of items `a` and `b`, in the stored order."""
    first, second = ordered(a, b)
    return item_key(first), item_key(second)


def _visible_items(user, clue_field: str, case_field: str) -> Q:
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    return Q(**{f"{clue_field}__in": Clue.objects.visible_to(user).values("pk")}) | Q(
        **{f"{case_field}__in": Case.objects.visible_to(user).values("pk")}
    )


class SeriesQuerySet(ScopedQuerySet):
    """A series is seen by whoever sees one of its members (its other members only as far as
    they see them)."""

    def scope_visible(self, user):
        members = SeriesMember.objects.filter(_visible_items(user, "clue", "case"))
        return self.filter(pk__in=members.values("series_id"))

    def scope_editable(self, user):
        if not user.has_perm("linkage.decide_link"):
            return self.none()
        return self.scope_visible(user)


class Series(TrackedModel):
    """串并案: clues and cases linked as one series."""

    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class SeriesMemberQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(_visible_items(user, "clue", "case"))


class SeriesMember(TrackedModel):
    """One clue or case in a series; an item belongs to at most one series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="members")
    clue = models.OneToOneField(
        "clues.Clue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="series_member",
    )
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="series_member",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SeriesMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("series member")
        verbose_name_plural = _("series members")
        ordering = ["series", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clue__isnull=False, case__isnull=True)
                | Q(clue__isnull=True, case__isnull=False),
                name="linkage_member_clue_or_case",
                violation_error_message=_("A series member is one clue or one case."),
            ),
        ]

    @property
    def item(self):
        return self.clue or self.case

    def __str__(self):
        return f"{self.series} · {self.item}"


class LinkStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class LinkSuggestionQuerySet(ScopedQuerySet):
    """A suggestion is seen by whoever sees both of its items."""

    def scope_visible(self, user):
        return self.filter(_visible_items(user, "a_clue", "a_case")).filter(
            _visible_items(user, "b_clue", "b_case")
        )

    def scope_editable(self, user):
        if not user.has_perm("linkage.decide_link"):
            return self.none()
        return self.scope_visible(user)

    def pair(self, a, b):
        a_key, b_key = pair_keys(a, b)
        return self.filter(a_key=a_key, b_key=b_key)

    def involving(self, item):
        key = item_key(item)
        return self.filter(Q(a_key=key) | Q(b_key=key))


class LinkSuggestion(models.Model):
    """Two items that may belong together, with the score and the reasons why.

    Suggestions are worked out by the engine, not entered, so their own creation and updates
    are not change-logged; a decision is (saohei.linkage.actions)."""

    a_key = models.CharField(max_length=24, editable=False)
    b_key = models.CharField(max_length=24, editable=False, db_index=True)
    a_clue = models.ForeignKey(
        "clues.Clue", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    a_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    b_clue = models.ForeignKey(
        "clues.Clue", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    b_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    # What the reasons rest on: person, organization, vehicle, phone, place, method.
    kinds = models.JSONField(_("grounds"), default=list)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LinkStatus.choices,
        default=LinkStatus.OPEN,
        db_index=True,
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
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LinkSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("link suggestion")
        verbose_name_plural = _("link suggestions")
        ordering = ["-score", "-id"]
        permissions = [("decide_link", _("Can accept or reject link suggestions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["a_key", "b_key"],
                name="linkage_suggestion_pair_once",
                violation_error_message=_("This pair has already been suggested."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="linkage_suggestion_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(a_clue__isnull=False, a_case__isnull=True)
                | Q(a_clue__isnull=True, a_case__isnull=False),
                name="linkage_suggestion_a_one_item",
            ),
            models.CheckConstraint(
                condition=Q(b_clue__isnull=False, b_case__isnull=True)
                | Q(b_clue__isnull=True, b_case__isnull=False),
                name="linkage_suggestion_b_one_item",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="linkage_sugg_status_score")]

    @property
    def item_a(self):
        return self.a_clue or self.a_case

    @property
    def item_b(self):
        return self.b_clue or self.b_case

    def other(self, item):
        return self.item_b if item_key(item) == self.a_key else self.item_a

    def __str__(self):
        return f"{self.item_a} ↔ {self.item_b} ({self.score})"


class Trace(models.Model):
    """What the engine compares an item by, kept in step on save: its date, jurisdiction and
    method text (character bigrams of the summary, names and places removed). Indexed so that
    the items of a jurisdiction within a time window are found without scanning."""

    clue = models.OneToOneField(
        "clues.Clue", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction", on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField()
    method = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["jurisdiction", "on"], name="linkage_trace_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(clue__isnull=False, case__isnull=True)
                | Q(clue__isnull=True, case__isnull=False),
                name="linkage_trace_clue_or_case",
            ),
        ]

    def __str__(self):
        return f"{self.clue_id or self.case_id} · {self.on}"


class TracePlace(models.Model):
    """A normalised place an item names (张家村, 采油三厂, 采油三厂4号井, 人民路), with the
    item's date, so that the same place within a window is one indexed look-up."""

    trace = models.ForeignKey(Trace, on_delete=models.CASCADE, related_name="places")
    token = models.CharField(max_length=60)
    on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["token", "on"], name="linkage_place_token_on")]

    def __str__(self):
        return f"{self.token} · {self.on}"
