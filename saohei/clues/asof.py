"""Each clue's status as it stood at the end of a given day, from the recorded moves.

Statistics and reports for a past date use this, so a report for 2019-06-30 is the same
whenever it is made: later moves are simply not looked at.

The rule, exactly: a clue counts from its `received_on` day. Its status at the end of a day
is the `to_status` of its last move before local midnight (Asia/Shanghai) after that day,
"last" meaning the latest `at`, and of moves with the same `at` the one with the highest id;
a clue received by the day with no move before that midnight (a letter registered later)
is awaiting routing (received).

How it is computed, and why so (bench/bench_clues.py, 1,000,000 clues, 5,000,000 moves):
one correlated look-up per clue, `ORDER BY at DESC, id DESC LIMIT 1` on the (clue, at)
index, which in SQLite ends with the move id and so gives the tie-break without sorting.
Set-wise shapes that give the same answer were measured slower on SQLite: a window function
over the moves (ROW_NUMBER() OVER (PARTITION BY clue …)), 7.6 s; a grouped MAX over a
composite (at, id) key, 2.4-3 s; the latest move ids first and their statuses second, 2.1-3.6
s; against 1.0-2.8 s for the look-ups. What decides their cost is that successive look-ups
land near each other in the index, i.e. that the clues are read in id order: see LOWEST_ID.
"""

from __future__ import annotations

import datetime

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import Status
from .models import Clue, Move

# `pk >= LOWEST_ID` holds for every clue (the lowest 64-bit integer): a condition that filters
# nothing, but lets SQLite read the clues by primary key range, in id order, instead of by an
# index on other columns that happens to cover the query (one on status, category and
# received_on does). In id order each clue's look-up lands next to the previous one in the
# (clue, at) index; in another order every look-up is a random read: 1.0 s against 1.8 s for
# a million clues.
LOWEST_ID = -(2**63)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Local midnight after `day` (Asia/Shanghai): moves before it count for `day`."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def with_status_as_of(clues: QuerySet[Clue], day: datetime.date) -> QuerySet[Clue]:
    """The clues received by `day`, annotated with `status_then`.

    Any filter already on `clues` (scoping, category, …) is kept; for figures group on the
    annotation: `.values("status_then").annotate(n=Count("id"))`.
    """
    latest = (
        Move.objects.filter(clue=OuterRef("pk"), at__lt=end_of_day(day))
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    return clues.filter(received_on__lte=day, pk__gte=LOWEST_ID).annotate(
        status_then=Coalesce(Subquery(latest, output_field=CharField()), Value(Status.RECEIVED))
    )


def status_as_of(clue: Clue, day: datetime.date) -> str | None:
    """One clue's status at the end of `day`; None if it had not been received yet."""
    row = with_status_as_of(Clue.objects.filter(pk=clue.pk), day).values("status_then")
    first = row.first()
    return first["status_then"] if first else None
