"""Each clue's status as it stood at the end of a given day, from the recorded moves.

Statistics and reports for a past date use this, so a report for 2019-06-30 is the same
whenever it is made: later moves are simply not looked at.
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import Status
from .models import Clue, Move


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Local midnight after `day` (Asia/Shanghai): moves before it count for `day`."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def with_status_as_of(clues: QuerySet[Clue], day: datetime.date) -> QuerySet[Clue]:
    """The clues received by `day`, annotated with `status_then`.

    One correlated look-up per clue on the (clue, at) index. A clue received on or before
    `day` but registered after it (a letter entered late) counts as awaiting routing.
    """
    latest = (
        Move.objects.filter(clue=OuterRef("pk"), at__lt=end_of_day(day))
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    return clues.filter(received_on__lte=day).annotate(
        status_then=Coalesce(Subquery(latest, output_field=CharField()), Value(Status.RECEIVED))
    )


def status_as_of(clue: Clue, day: datetime.date) -> str | None:
    """One clue's status at the end of `day`; None if it had not been received yet."""
    row = with_status_as_of(Clue.objects.filter(pk=clue.pk), day).values("status_then")
    first = row.first()
    return first["status_then"] if first else None
