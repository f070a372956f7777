"""Questions asked of many tasks, as of any day: which are overdue, which fall due soon, and
how each unit (or inspection) stands. Other apps call these (the assessment of member units,
the briefing's 存在问题, the dashboard), so the figures agree wherever they are read.

Every answer is computed from the task's events (TaskEvent): the status and deadline a task
had at the end of the as-of day are those its last event before that day's end left, so a
figure for 2019-06-30 is the same whenever it is made (a later sign-off, reopening or new
deadline does not change it). A task counts from the day it was set (Task.set_on).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from saohei.clues.asof import end_of_day
from saohei.core.workdays import add_workdays

from .choices import OPEN_STATUSES, EventKind, TaskStatus
from .models import Task, TaskEvent

# A task falls due soon when its deadline is within this many working days.
DUE_SOON_WORKDAYS = 5


@dataclass
class TaskSummary:
    """How a unit's tasks stood at the end of a period (see unit_task_summary)."""

    total: int = 0  # tasks counted for the period
    signed_off: int = 0  # of them, signed off (已销号) at the end
    on_time: int = 0  # of the signed off, reported done by their deadline
    overdue: int = 0  # of them, still open (整改中/重新整改) after their deadline
    awaiting_sign_off: int = 0  # reported done, not yet signed off

    @property
    def on_time_rate(self) -> float | None:
        """On time over total, 0..1 (None without tasks)."""
        return round(self.on_time / self.total, 4) if self.total else None

    @property
    def completion_rate(self) -> float | None:
        return round(self.signed_off / self.total, 4) if self.total else None


def with_state_as_of(tasks: QuerySet, day: datetime.date) -> QuerySet:
    """The tasks set by `day`, annotated with `status_then` and `deadline_then` (left by
    their last event before the end of `day`) and `done_at` (the time of the last report of
    completion before then, None if none)."""
    end = end_of_day(day)
    last = TaskEvent.objects.filter(task=OuterRef("pk"), at__lt=end).order_by("-at", "-id")
    done = last.filter(kind=EventKind.REPORTED)
    return (
        tasks.filter(set_on__lte=day)
        .annotate(
            status_then=Subquery(last.values("status")[:1]),
            deadline_then=Subquery(last.values("deadline")[:1]),
            done_at=Subquery(done.values("at")[:1]),
        )
        .filter(status_then__isnull=False)
    )


def _scoped(scope) -> QuerySet:
    """Tasks of the units in `scope` (a saohei.reports.figures.Scope), or all tasks."""
    tasks = Task.objects.all()
    if scope is None:
        return tasks
    scoped = getattr(scope, "tasks", None)
    if scoped is not None:
        return scoped
    units = scope.units
    return tasks.filter(
        responsible_unit__in=units.values("pk"),
        problem__inspection__jurisdiction_id__in=units.values("jurisdiction_id"),
    )


def overdue_tasks(as_of: datetime.date, scope=None) -> QuerySet:
    """Tasks overdue at the end of `as_of`: set by then, still open then (in progress or
    reopened — a task reported done waits for its sign-off and is not the unit's delay), and
    with the deadline then in force before `as_of` (a task due on `as_of` is not yet late).

    `scope` is a saohei.reports.figures.Scope (the tasks of its units) or None for all
    tasks. Each task carries `status_then` and `deadline_then`; ordered by responsible unit
    and deadline."""
    return (
        with_state_as_of(_scoped(scope), as_of)
        .filter(status_then__in=OPEN_STATUSES, deadline_then__lt=as_of)
        .select_related("responsible_unit", "problem__inspection", "problem__category")
        .order_by("responsible_unit__sort_order", "responsible_unit__name", "deadline_then", "pk")
    )


def due_soon_tasks(as_of: datetime.date, scope=None, workdays: int = DUE_SOON_WORKDAYS) -> QuerySet:
    """Tasks still open at the end of `as_of` whose deadline falls on `as_of` or within the
    next `workdays` working days (Chinese statutory calendar: a deadline after a holiday is
    as near as the working days before it)."""
    horizon = add_workdays(as_of, workdays)
    return (
        with_state_as_of(_scoped(scope), as_of)
        .filter(status_then__in=OPEN_STATUSES, deadline_then__gte=as_of)
        .filter(deadline_then__lte=horizon)
        .select_related("responsible_unit", "problem__inspection", "problem__category")
        .order_by("deadline_then", "pk")
    )


def _counted(tasks: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    return with_state_as_of(tasks, end).filter(
        Q(deadline_then__lte=end)
        & (Q(deadline_then__gte=start) | ~Q(status_then=TaskStatus.SIGNED_OFF))
    )


def _add(summary: TaskSummary, row: dict, end: datetime.date) -> None:
    summary.total += 1
    status, deadline = row["status_then"], row["deadline_then"]
    if status == TaskStatus.SIGNED_OFF:
        summary.signed_off += 1
        done_at = row["done_at"]
        if done_at is not None and timezone.localdate(done_at) <= deadline:
            summary.on_time += 1
    elif status == TaskStatus.REPORTED:
        summary.awaiting_sign_off += 1
    elif deadline < end:
        summary.overdue += 1


def unit_task_summary(
    start: datetime.date, end: datetime.date, units: Iterable | None = None
) -> dict[int, TaskSummary]:
    """Each responsible unit's tasks for the period `start`..`end` (both included), as they
    stood at the end of `end`; keyed by unit id.

    Counted (`total`): tasks set by `end` whose deadline (as in force at the end of `end`)
    falls in the period, plus those with an earlier deadline still not signed off at the end
    of `end` (carried over). Tasks due after `end` are not counted.
    - `signed_off`: counted tasks signed off (已销号) at the end of `end`;
    - `on_time`: of those, the ones whose completion was reported (申请销号) on or before
      their deadline — a late sign-off by the office does not make the unit late;
    - `overdue`: counted tasks still in progress or reopened at the end of `end` whose
      deadline is before `end` (the same tasks as overdue_tasks(end) for the unit); for a
      period not yet ended, before today;
    - `awaiting_sign_off`: counted tasks reported done and not yet signed off.

    `units`: Unit objects or ids to report on (each gets an entry, zeros when it has no
    task); None for every unit that has a counted task."""
    if start > end:
        raise ValueError("start is after end")
    tasks = Task.objects.all()
    wanted = None
    if units is not None:
        wanted = [getattr(u, "pk", u) for u in units]
        tasks = tasks.filter(responsible_unit_id__in=wanted)
    result = {pk: TaskSummary() for pk in wanted or []}
    rows = _counted(tasks, start, end).values(
        "responsible_unit_id", "status_then", "deadline_then", "done_at"
    )
    # A period that has not ended yet: a task is late only once its deadline is past today.
    late_from = min(end, timezone.localdate())
    for row in rows:
        _add(result.setdefault(row["responsible_unit_id"], TaskSummary()), row, late_from)
    return result


def completion(tasks: QuerySet, as_of: datetime.date, by: str) -> dict[int, TaskSummary]:
    """Every task set by `as_of` among `tasks`, by responsible unit (`by="unit"`) or by
    inspection (`by="inspection"`): how many, signed off, on time, overdue, awaiting the
    sign-off, as they stood at the end of `as_of` (tasks not yet due are in `total` only)."""
    field = {"unit": "responsible_unit_id", "inspection": "problem__inspection_id"}[by]
    result: dict[int, TaskSummary] = {}
    rows = with_state_as_of(tasks, as_of).values(field, "status_then", "deadline_then", "done_at")
    for row in rows:
        _add(result.setdefault(row[field], TaskSummary()), row, as_of)
    return result


def overdue_paragraph(as_of: datetime.date, scope=None) -> str:
    """The briefing's 存在问题 paragraph 整改任务逾期: the tasks overdue at the end of `as_of`
    (overdue_tasks), how many in all and by responsible unit, most first; "" when none."""
    from collections import Counter

    from saohei.core.dates import cn_date

    tasks = list(overdue_tasks(as_of, scope))
    if not tasks:
        return ""
    units = Counter(t.responsible_unit.short_name or t.responsible_unit.name for t in tasks)
    order = {name: i for i, name in enumerate(units)}  # first seen: the unit order
    ranked = sorted(units.items(), key=lambda item: (-item[1], order[item[0]]))
    inspections = sorted({t.problem.inspection.title for t in tasks})
    text = (
        f"截至{cn_date(as_of)}，对照{'、'.join(inspections)}，"
        f"有{len(tasks)}项整改任务超过整改时限仍未完成，涉及{len(units)}个单位："
        + "、".join(f"{name}{n}项" for name, n in ranked)
    )
    oldest = min(t.deadline_then for t in tasks)
    text += f"，最早的整改时限为{cn_date(oldest)}，督导整改推进迟缓。"
    return text
