"""What a target measures, as of any day, from the figures (saohei.reports.figures).

Each measure gives a value for the target's scope and the part each unit holds, worked out
with the figures' own building blocks (a clue's status and handling unit at the end of the
day, a case's stage then, the figures() rates), so a target's value and the dashboard agree
for the same day and a past day's value never changes.

Counts are "clear to zero" measures (lower is better: 清零); rates are measures to raise.
A unit's share of a count is what it held that day; clues still awaiting routing are held by
no unit (the office routes them) and are listed under None.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, IntegerField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from saohei.cases.choices import GANG_KINDS, Stage
from saohei.clues.choices import Status
from saohei.reports.figures import (
    PENDING,
    VERIFYING,
    Scope,
    cases_as_of,
    clues_as_of,
    overdue_as_of,
    rate,
)

# Clues still open: awaiting routing, parked or being verified (neither concluded, for good
# or for the stage, nor merged as a duplicate): the complement of the conclusion rate's
# "done".
OPEN_CLUE_STATUSES = (*PENDING, *VERIFYING)
DONE = (Status.CONCLUDED, Status.INTERIM)


class Measure(models.TextChoices):
    OLD_OPEN_CLUES = "old_open_clues", _("open clues received more than N days before")
    OPEN_CLUES = "open_clues", _("clues not yet concluded (of the chosen categories)")
    OVERDUE_CLUES = "overdue_clues", _("clues overdue")
    OPEN_GANG_CASES = "open_gang_cases", _("gang cases not yet closed")
    CONCLUSION_RATE = "conclusion_rate", _("clue conclusion rate")
    CASE_CLOSURE_RATE = "case_closure_rate", _("case closure rate")


RATES = frozenset({Measure.CONCLUSION_RATE, Measure.CASE_CLOSURE_RATE})


def is_rate(measure: str) -> bool:
    """Rates are raised to a goal; counts are brought down to one (usually zero)."""
    return measure in RATES


@dataclass
class Reading:
    """A measure's value on a day: a count, or a rate as a fraction 0..1 (None when there
    is nothing to divide by); `by_unit` maps unit id (None: held by no unit) to the unit's
    count, or to (done, whole) for a rate."""

    day: datetime.date
    value: float | int | None
    by_unit: dict = field(default_factory=dict)


def read(target, day: datetime.date, unit_ids: set[int] | None = None) -> Reading:
    """The target's measure on `day`, over its jurisdiction and, if it covers units, those
    units only (`unit_ids`: target.unit_ids(), given when the caller reads several days)."""
    scope = Scope.everything([target.jurisdiction_id])
    if unit_ids is None:
        unit_ids = target.unit_ids()
    measure = target.measure
    if measure in (Measure.OLD_OPEN_CLUES, Measure.OPEN_CLUES):
        clues = clues_as_of(scope.clues, day).filter(status_then__in=OPEN_CLUE_STATUSES)
        if measure == Measure.OLD_OPEN_CLUES:
            clues = clues.filter(received_on__lt=target.received_before(day))
        elif target.categories:
            clues = clues.filter(category__in=target.categories)
        rows = clues.values_list("unit_then").annotate(n=Count("id")).order_by()
        return _count(day, Counter(dict(rows)), unit_ids)
    if measure == Measure.OPEN_GANG_CASES:
        cases = (
            cases_as_of(scope.cases, day)
            .filter(kind__in=GANG_KINDS)
            .exclude(stage_then=Stage.CLOSED)
            .annotate(
                unit_then=Coalesce("handler_then", F("handling_unit"), output_field=IntegerField())
            )
        )
        rows = cases.values_list("unit_then").annotate(n=Count("id")).order_by()
        return _count(day, Counter(dict(rows)), unit_ids)
    if measure == Measure.OVERDUE_CLUES:
        clues = overdue_as_of(clues_as_of(scope.clues, day), day)
        rows = clues.values_list("unit_then").annotate(n=Count("id")).order_by()
        return _count(day, Counter(dict(rows)), unit_ids)
    if measure == Measure.CONCLUSION_RATE:
        # As figures(): concluded and concluded-for-the-stage over all clues received (merged
        # duplicates left out); a unit's rate over the clues it was handling that day.
        rows = clues_as_of(scope.clues, day).values_list("status_then", "unit_then")
        parts: dict = {}
        total = done = 0
        for status, unit, n in rows.annotate(n=Count("id")).order_by():
            finished = n if status in DONE else 0
            if unit is not None and status not in PENDING:
                d, w = parts.get(unit, (0, 0))
                parts[unit] = (d + finished, w + n)
            if not unit_ids or unit in unit_ids:
                total, done = total + n, done + finished
        if unit_ids:
            parts = {u: p for u, p in parts.items() if u in unit_ids}
        return Reading(day, rate(done, total), parts)
    if measure == Measure.CASE_CLOSURE_RATE:
        cases = cases_as_of(scope.cases, day).annotate(
            unit_then=Coalesce("handler_then", F("handling_unit"), output_field=IntegerField())
        )
        parts = {}
        for stage, unit, n in (
            cases.values_list("stage_then", "unit_then").annotate(n=Count("id")).order_by()
        ):
            d, w = parts.get(unit, (0, 0))
            parts[unit] = (d + (n if stage == Stage.CLOSED else 0), w + n)
        if unit_ids:
            parts = {u: p for u, p in parts.items() if u in unit_ids}
        closed = sum(p[0] for p in parts.values())
        return Reading(day, rate(closed, sum(p[1] for p in parts.values())), parts)
    raise ValueError(f"unknown measure {measure!r}")


def _count(day: datetime.date, by_unit: Counter, unit_ids: set[int]) -> Reading:
    if unit_ids:
        by_unit = Counter({u: n for u, n in by_unit.items() if u in unit_ids})
    by_unit = {u: n for u, n in by_unit.items() if n}
    return Reading(day, sum(by_unit.values()), by_unit)


def drill_down(target, day: datetime.date, unit_id: int | None = None) -> str:
    """The query string of the figures' list of the records a reading counts (the
    dashboard's drill-down pages), or "" for a rate."""
    from urllib.parse import urlencode

    query: list[tuple[str, str]] = [("as_of", day.isoformat())]
    if target.measure in (Measure.OLD_OPEN_CLUES, Measure.OPEN_CLUES):
        query.append(("status", "open"))
        if target.measure == Measure.OLD_OPEN_CLUES:
            query.append(("received_before", target.received_before(day).isoformat()))
        else:
            query += [("category", c) for c in target.categories or []]
    elif target.measure == Measure.OVERDUE_CLUES:
        query.append(("status", "overdue"))
    elif target.measure == Measure.OPEN_GANG_CASES:
        query += [("gang", "1"), ("open", "1")]
    else:
        return ""
    if unit_id is not None:
        query.append(("unit", str(unit_id)))
    return urlencode(query)
