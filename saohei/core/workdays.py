"""Working days on the Chinese statutory calendar (法定节假日 and 调休 make-up workdays).

Deadlines (办理期限, 签收/反馈期限) count working days. chinese-calendar knows the years the
State Council has announced; outside them we fall back to weekends only and say so in the log,
because a deadline computed a little early is better than no deadline at all.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        log.warning(
            "The statutory holiday calendar does not cover %s: counting weekends only. "
            "Upgrade chinesecalendar when the State Council publishes that year's holidays.",
            year,
        )
        return False
    return True


def is_workday(day: date) -> bool:
    if _calendar_knows(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(start: date, n: int) -> date:
    """The date n working days after `start` (before it when n is negative).

    `start` itself never counts: add_workdays(Friday, 1) is the next working Monday.
    n == 0 returns `start` unchanged.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b`; negative when b is before a.

    Inverse of add_workdays for working days: add_workdays(a, workdays_between(a, b)) == b.
    """
    if b < a:
        return -workdays_between(b, a)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
