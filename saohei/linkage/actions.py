"""Accepting and rejecting a link suggestion (STYLE habit 4): one transaction, the suggestion
and the series involved locked in pk order, the rule checked on the locked rows, the audit
entry in the same transaction, and the result re-read through the user's scope.

A user may decide a suggestion when they hold linkage.decide_link and may see both items.
Accepting puts both items in one series: a new one when neither is in a series, the one of
them that is, or, when they are in two, the two merged into the older. Rejecting is final: the
engine never suggests the pair again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record

from .models import LinkStatus, LinkSuggestion, Series, SeriesMember, item_kind


class LinkError(ValidationError):
    """A decision the suggestion's state does not allow; the message says why."""


def _locked(suggestion: LinkSuggestion, user) -> LinkSuggestion:
    if not user.has_perm("linkage.decide_link"):
        raise PermissionDenied(_("You may not decide link suggestions."))
    locked = (
        LinkSuggestion.objects.editable_by(user)
        .select_for_update(of=("self",))
        .select_related("a_clue", "a_case", "b_clue", "b_case")
        .filter(pk=suggestion.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You may decide only suggestions whose two items you can see."))
    if locked.status != LinkStatus.OPEN:
        raise LinkError(
            _("This suggestion has already been decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def _decide(locked: LinkSuggestion, user, status: str, note: str) -> None:
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.note = (note or "").strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    record(
        Action.UPDATE,
        locked,
        changes={"status": [LinkStatus.OPEN, status], "note": locked.note},
        user=user,
    )


def reject(suggestion: LinkSuggestion, user, *, note: str = "") -> LinkSuggestion:
    with transaction.atomic():
        locked = _locked(suggestion, user)
        _decide(locked, user, LinkStatus.REJECTED, note)
    return locked


def accept(suggestion: LinkSuggestion, user, *, note: str = "") -> Series:
    """Link the two items into one series and return it."""
    with transaction.atomic():
        locked = _locked(suggestion, user)
        a, b = locked.item_a, locked.item_b
        series = join(a, b, user)
        _decide(locked, user, LinkStatus.ACCEPTED, note)
        # Open suggestions between items now in one series have nothing left to decide.
        keys = [
            f"clue:{clue_id}" if clue_id else f"case:{case_id}"
            for clue_id, case_id in series.members.values_list("clue_id", "case_id")
        ]
        LinkSuggestion.objects.filter(
            status=LinkStatus.OPEN, a_key__in=keys, b_key__in=keys
        ).delete()
        if not Series.objects.visible_to(user).filter(pk=series.pk).exists():
            raise PermissionDenied(_("The series would be out of your reach."))
    return series


def _member_of(item) -> SeriesMember | None:
    return (
        SeriesMember.objects.select_for_update(of=("self",))
        .filter(**{item_kind(item): item})
        .select_related("series")
        .first()
    )


def join(a, b, user) -> Series:
    """Put items `a` and `b` in one series (inside the caller's transaction)."""
    ma, mb = _member_of(a), _member_of(b)
    if ma and mb:
        if ma.series_id == mb.series_id:
            return ma.series
        keep, gone = sorted((ma.series, mb.series), key=lambda s: s.pk)
        list(
            Series.objects.select_for_update(of=("self",))
            .filter(pk__in=[keep.pk, gone.pk])
            .order_by("pk")
        )
        moved = list(gone.members.values_list("pk", flat=True))
        SeriesMember.objects.filter(pk__in=moved).update(series=keep)
        record(
            Action.UPDATE,
            keep,
            changes={"merged_series": gone.pk, "merged_name": gone.name, "members": moved},
            user=user,
        )
        gone.delete()  # change-logged like every tracked model
        return keep
    if ma or mb:
        member, other = (ma, b) if ma else (mb, a)
        _add(member.series, other, user)
        return member.series
    first = min((a, b), key=_date)
    series = Series.objects.create(
        name=_("Series of %(number)s") % {"number": first.number},
        jurisdiction_id=first.jurisdiction_id,
        created_by=user,
    )
    _add(series, a, user)
    _add(series, b, user)
    return series


def _add(series: Series, item, user) -> SeriesMember:
    member = SeriesMember.objects.create(series=series, **{item_kind(item): item}, added_by=user)
    record(
        Action.UPDATE,
        series,
        changes={"added": f"{item_kind(item)}:{item.number}"},
        user=user,
    )
    return member


def _date(item):
    return getattr(item, "opened_on", None) or item.received_on
