"""Rules that read across clues: duplicates, reviews of unfounded conclusions, deadlines."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz

from saohei.core.normalize import fold_text, split_names
from saohei.core.workdays import add_workdays

from .choices import OPEN_STATUSES, Finding, Status
from .models import Clue, DeadlineRule

DUE_SOON_WORKDAYS = 3
TEXT_SIMILARITY = 80  # rapidfuzz token-set ratio above which two texts are "very similar"


def search_text_for(clue: Clue) -> str:
    return fold_text(" ".join([clue.subjects, clue.summary, clue.full_text, clue.place]))


def _subject_query(subjects: str, jurisdiction_id) -> tuple[list[str], Q]:
    names = [n for n in split_names(subjects) if len(n) >= 2]
    query = Q(pk__in=[])
    for name in names:
        query |= Q(search_text__contains=name)
    return names, query & Q(jurisdiction_id=jurisdiction_id)


def likely_duplicates(
    subjects: str, text: str, jurisdiction_id, *, exclude=None, limit: int = 10
) -> list[tuple[Clue, list[str]]]:
    """Clues that name the same subjects (after simplified/traditional and width folding)
    or whose text is very similar, with the reasons, for the user to check before saving."""
    names, query = _subject_query(subjects, jurisdiction_id)
    folded = fold_text(text)
    candidates = Clue.objects.filter(query).exclude(status=Status.MERGED)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = []
    for clue in candidates.order_by("-received_on")[:200]:
        theirs = set(split_names(clue.subjects))
        reasons = [n for n in names if n in theirs]
        score = fuzz.token_set_ratio(folded, fold_text(f"{clue.summary} {clue.full_text}"))
        if score >= TEXT_SIMILARITY:
            reasons.append(f"{int(score)}%")
        if reasons:
            found.append((clue, reasons))
    return found[:limit]


def earlier_unfounded(subjects: str, jurisdiction_id) -> Clue | None:
    """The latest clue about one of these subjects concluded as unfounded (查否): a new report
    about them is a reason to review that conclusion."""
    names, query = _subject_query(subjects, jurisdiction_id)
    for clue in Clue.objects.filter(
        query, status=Status.CONCLUDED, finding=Finding.UNFOUNDED
    ).order_by("-concluded_on"):
        if set(names) & set(split_names(clue.subjects)):
            return clue
    return None


def overdue(clues: QuerySet[Clue], today: datetime.date | None = None) -> QuerySet[Clue]:
    today = today or timezone.localdate()
    return clues.filter(status__in=OPEN_STATUSES, deadline__lt=today)


def due_soon(clues: QuerySet[Clue], today: datetime.date | None = None) -> QuerySet[Clue]:
    """Open clues whose deadline falls within the next three working days."""
    today = today or timezone.localdate()
    return clues.filter(
        status__in=OPEN_STATUSES,
        deadline__gte=today,
        deadline__lte=add_workdays(today, DUE_SOON_WORKDAYS),
    )


def informants_to_contact(clues: QuerySet[Clue], today: datetime.date | None = None):
    """Concluded clues from a named informant not yet told the result, each with the day by
    which the informant must be told (30 days after conclusion unless the category's rule
    says otherwise) and whether that day has passed."""
    today = today or timezone.localdate()
    limits = dict(DeadlineRule.objects.values_list("category", "contact_days"))
    pending = clues.filter(
        status=Status.CONCLUDED, anonymous=False, informant_contacted_on__isnull=True
    )
    rows = []
    for clue in pending.order_by("concluded_on"):
        due = clue.concluded_on + datetime.timedelta(days=limits.get(clue.category, 30))
        rows.append((clue, due, due < today))
    return rows
