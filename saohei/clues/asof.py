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

Most clues need no look-up at all: a clue whose latest move was made before the day's end
stood, at the end of the day, exactly as its row stands now. Each clue records when its
latest move was made, if its row holds the state that move left (`Clue.last_moved_at`, kept
by `settle` whenever a move is written), and only the clues moved after the day, or whose
row is not known to agree with their moves, are looked up. As of today (the dashboard's
default) that is none of them; for a day 18 months back in bench/bench_figures.py, one in
six.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone

from .choices import OPEN_STATUSES, Status
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


def settled(day: datetime.date) -> Q:
    """The clues whose row holds their state at the end of `day`: their latest move was made
    before the day's end and left the state on the row (Clue.last_moved_at)."""
    return Q(last_moved_at__lt=end_of_day(day))


def unsettled(day: datetime.date) -> Q:
    """The others: moved after the day's end, or not known to agree with their moves. Spelt
    out (rather than ~settled) so that the index on last_moved_at answers it."""
    return Q(last_moved_at__gte=end_of_day(day)) | Q(last_moved_at__isnull=True)


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
    looked_up = Coalesce(Subquery(latest, output_field=CharField()), Value(Status.RECEIVED))
    return clues.filter(received_on__lte=day, pk__gte=LOWEST_ID).annotate(
        # A CASE, so that the look-up is made only for the clues not settled by the day.
        status_then=Case(When(settled(day), then=F("status")), default=looked_up)
    )


def status_as_of(clue: Clue, day: datetime.date) -> str | None:
    """One clue's status at the end of `day`; None if it had not been received yet."""
    row = with_status_as_of(Clue.objects.filter(pk=clue.pk), day).values("status_then")
    first = row.first()
    return first["status_then"] if first else None


def settle(clues: QuerySet[Clue], moves: QuerySet[Move] | None = None) -> int:
    """Set `last_moved_at` of `clues` from their moves: the time of the latest move (latest
    `at`, then highest id) when the row holds the state it left, NULL otherwise. The row
    holds it when its status and handling unit are those of the move, and, for an open clue
    (one whose deadline counts), its deadline is the one its last routing recorded, if that
    routing recorded one (an approved extension moves the row's deadline later; figures
    look those clues up apart). One UPDATE; `moves` lets a data migration pass its own."""
    moves = Move.objects.all() if moves is None else moves
    latest = moves.filter(clue=OuterRef("pk")).order_by("-at", "-id")
    routing = moves.filter(clue=OuterRef("pk"), action="assign").order_by("-at", "-id")
    deadline = Coalesce(Cast("deadline", CharField()), Value(""))
    unit = Subquery(latest.values("unit")[:1], output_field=IntegerField())
    agrees = (
        Q(Exact(F("status"), Subquery(latest.values("to_status")[:1])))
        & Q(Exact(Coalesce("assigned_unit", 0), Coalesce(unit, 0)))
        & (
            ~Q(status__in=OPEN_STATUSES)
            | Q(
                Exact(
                    Coalesce(
                        Subquery(routing.values(d=KT("data__deadline"))[:1]),
                        deadline,
                        output_field=CharField(),
                    ),
                    deadline,
                )
            )
        )
    )
    return clues.update(
        last_moved_at=Case(When(agrees, then=Subquery(latest.values("at")[:1])), default=None)
    )
