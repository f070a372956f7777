"""How a target moves: its path since the start, the pace, the projected date and whether it
will miss its deadline at that pace.

The pace is the least-squares slope of the readings 30, 20 and 10 days before the day and on
the day (those on or after the start; a target younger than 30 days adds its start): recent
work says more about the coming weeks than the first month of a drive, and four readings are
cheap enough for the dashboard's flags, which read only these (`at_risk`). The path drawn on
the target's page adds evenly spaced days from the start (at most `MAX_POINTS` in all), so
its pace and projection are the same as the dashboard's. A count at or below its goal, or a
rate at or above it, is met; otherwise the projected day is when the line through the day's
value at that pace reaches the goal, and none when the pace goes the wrong way or stands
still.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

from .measures import Reading, read

MAX_POINTS = 16
PACE_BACK = (30, 20, 10, 0)  # days before the day read for the pace


@dataclass
class Progress:
    target: object
    today: Reading
    path: list[Reading]
    pace: float | None  # change of the value per day (negative: coming down)
    met: bool
    projected: datetime.date | None  # None: met, or never at the current pace
    days_left: int

    @property
    def will_miss(self) -> bool:
        """Not met, and at the current pace not met by the deadline."""
        if self.met:
            return False
        return self.projected is None or self.projected > self.target.deadline

    @property
    def remaining(self):
        """How far the value still is from the goal (a count, or percentage points)."""
        goal = self.target.goal_value()
        if self.today.value is None:
            return None
        gap = abs(self.today.value - goal)
        return round(gap * 100, 1) if self.target.is_rate else int(gap)


def pace_days(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The days the pace is worked out from."""
    days = {today - datetime.timedelta(days=back) for back in PACE_BACK}
    days = {d for d in days if d >= start}
    if today - datetime.timedelta(days=PACE_BACK[0]) < start <= today:
        days.add(start)
    return sorted(days) or [today]


def path_days(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The days the path is read on: start, today, evenly spaced days between, and the
    days of the pace."""
    if today <= start:
        return [today]
    span = (today - start).days
    step = max(1, math.ceil(span / (MAX_POINTS - len(PACE_BACK))))
    days = {start + datetime.timedelta(days=d) for d in range(0, span, step)}
    return sorted(days | set(pace_days(start, today)))


def progress(target, today: datetime.date | None = None, *, whole_path: bool = True) -> Progress:
    """The target's progress on `today`; with whole_path=False only the readings of the pace
    are taken (the dashboard's and the briefing's flags), with the same pace and projection."""
    today = today or timezone.localdate()
    days = path_days(target.start, today) if whole_path else pace_days(target.start, today)
    units = target.unit_ids()  # once, not per reading
    readings = {day: read(target, day, units) for day in days}
    path = [readings[day] for day in days]
    now = path[-1]
    goal = target.goal_value()
    met = now.value is not None and (now.value >= goal if target.is_rate else now.value <= goal)
    pace = _pace([readings[d] for d in pace_days(target.start, today) if d in readings])
    projected = None
    if not met and pace and now.value is not None:
        days = (goal - now.value) / pace
        if days > 0:
            projected = today + datetime.timedelta(days=math.ceil(days))
    return Progress(target, now, path, pace, met, projected, (target.deadline - today).days)


def _pace(readings: list[Reading]) -> float | None:
    points = [(r.day, r.value) for r in readings if r.value is not None]
    if len(points) < 2:
        return None
    xs = [(d - points[0][0]).days for d, _v in points]
    ys = [float(v) for _d, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def at_risk(targets, today: datetime.date | None = None) -> list[Progress]:
    """The targets, still running, that will miss their deadline at the current pace: for
    the dashboard and the briefing's 存在问题."""
    today = today or timezone.localdate()
    found = []
    for target in targets:
        if target.start > today:
            continue
        p = progress(target, today, whole_path=False)
        if p.will_miss:
            found.append(p)
    return found
