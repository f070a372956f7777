"""Overdue and due-soon tasks as of a day, and each unit's summary for a period, on
hand-built tasks moved on known days: the answers for a past day do not change with later
steps."""

import datetime

import pytest

from saohei.orgs.choices import Role, UnitKind
from saohei.rectification import actions
from saohei.rectification.summary import (
    due_soon_tasks,
    overdue_tasks,
    unit_task_summary,
)
from saohei.reports.figures import Scope

from .factories import at, inspection, problem, report_done, sign_off, task

D = datetime.date


@pytest.fixture
def tasks(personas, units):
    """Police: A due 6-28 done 6-20 signed 6-21 (on time); B due 6-28 done 7-05 signed 7-08
    (late); C due 6-28 never done. Township: D due 7-31 reported done 7-30, not signed off;
    E due 6-14, signed off 6-10, reopened 9-12 with deadline 10-31."""
    office = personas[Role.OFFICE_STAFF]
    admin = personas[Role.OFFICE_ADMIN]
    police, town = units[UnitKind.POLICE], units[UnitKind.TOWNSHIP]
    prob = problem(office, inspection(office), units=[police, town])
    a = task(office, prob, police, D(2019, 6, 28))
    b = task(office, prob, police, D(2019, 6, 28))
    c = task(office, prob, police, D(2019, 6, 28))
    d = task(office, prob, town, D(2019, 7, 31))
    e = task(office, prob, town, D(2019, 6, 14))
    handler = personas[Role.HANDLER]
    report_done(a, handler, D(2019, 6, 20))
    sign_off(a, admin, D(2019, 6, 21))
    report_done(b, handler, D(2019, 7, 5))
    sign_off(b, admin, D(2019, 7, 8))
    _report_as(d, town, D(2019, 7, 30))
    _report_as(e, town, D(2019, 6, 10))
    sign_off(e, admin, D(2019, 6, 10))
    actions.reopen(
        e, admin, reason="回头看发现问题反弹", deadline=D(2019, 10, 31), at=at(D(2019, 9, 12))
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _report_as(t, unit, day):
    from conftest import make_user

    user = make_user(f"town{t.pk}", Role.HANDLER, unit=unit)
    report_done(t, user, day)


def ids(qs):
    return {t.pk for t in qs}


def test_overdue_as_of_several_days(tasks):
    a, b, c, d, e = (tasks[k] for k in "abcde")
    assert ids(overdue_tasks(D(2019, 6, 28))) == set()  # due that day: not yet late
    assert ids(overdue_tasks(D(2019, 6, 29))) == {b.pk, c.pk}
    assert ids(overdue_tasks(D(2019, 7, 6))) == {c.pk}  # B reported done on 7-05
    assert ids(overdue_tasks(D(2019, 8, 1))) == {c.pk}  # D reported done, awaiting sign-off
    # E was signed off before its deadline; reopened on 9-12 with a new deadline.
    assert ids(overdue_tasks(D(2019, 9, 12))) == {c.pk}
    assert ids(overdue_tasks(D(2019, 11, 1))) == {c.pk, e.pk}
    row = next(t for t in overdue_tasks(D(2019, 11, 1)) if t.pk == e.pk)
    assert row.deadline_then == D(2019, 10, 31)
    # Before the tasks were set, nothing.
    assert ids(overdue_tasks(D(2019, 5, 12))) == set()


def test_overdue_within_a_scope(tasks, units, other_units):
    police_only = Scope.everything()
    police_only.units = police_only.units.filter(kind=UnitKind.POLICE)
    assert ids(overdue_tasks(D(2019, 6, 29), police_only)) == {tasks["b"].pk, tasks["c"].pk}
    other = Scope.everything([units[UnitKind.POLICE].jurisdiction_id + 1000])
    assert ids(overdue_tasks(D(2019, 6, 29), other)) == set()


def test_due_soon_counts_working_days(tasks):
    c, d = tasks["c"], tasks["d"]
    # 2019-06-21 (Fri): 5 working days on is 06-28 (Fri).
    assert ids(due_soon_tasks(D(2019, 6, 21))) == {tasks["b"].pk, c.pk}
    assert ids(due_soon_tasks(D(2019, 6, 20))) == set()
    assert ids(due_soon_tasks(D(2019, 7, 24))) == {d.pk}
    assert ids(due_soon_tasks(D(2019, 7, 31))) == set()  # D reported done on 7-30


def test_due_soon_over_a_statutory_holiday(personas, units):
    office = personas[Role.OFFICE_STAFF]
    t = task(
        office,
        problem(office, inspection(office)),
        units[UnitKind.POLICE],
        D(2019, 10, 8),
        set_on=D(2019, 9, 1),
    )
    # National Day 2019: 10-01..10-07 off, 09-29 (Sun) a make-up working day. From Thursday
    # 09-26, five working days are 09-27, 09-29, 09-30, 10-08: the deadline is within them.
    assert ids(due_soon_tasks(D(2019, 9, 26))) == {t.pk}
    # From 09-24 the five working days end on 09-30: not yet due soon.
    assert ids(due_soon_tasks(D(2019, 9, 24))) == set()


def test_unit_task_summary_for_several_periods(tasks, units):
    police, town = units[UnitKind.POLICE].pk, units[UnitKind.TOWNSHIP].pk
    june = unit_task_summary(D(2019, 6, 1), D(2019, 6, 30))
    assert (june[police].total, june[police].signed_off, june[police].on_time) == (3, 1, 1)
    assert june[police].overdue == 2  # B and C, open after 6-28 at the end of June
    assert (june[town].total, june[town].signed_off, june[town].on_time) == (1, 1, 1)  # E
    assert june[town].overdue == 0

    july = unit_task_summary(D(2019, 7, 1), D(2019, 7, 31))
    # Police: C carried over (still open); A and B were due in June and are signed off.
    assert (july[police].total, july[police].overdue, july[police].signed_off) == (1, 1, 0)
    # Town: D due 7-31, reported done, awaiting the sign-off.
    assert (july[town].total, july[town].awaiting_sign_off, july[town].overdue) == (1, 1, 0)

    h1 = unit_task_summary(D(2019, 1, 1), D(2019, 7, 31))
    assert (h1[police].total, h1[police].signed_off, h1[police].on_time) == (3, 2, 1)
    assert h1[police].on_time_rate == round(1 / 3, 4)

    # At year's end E (reopened, due 10-31) counts again, overdue.
    year = unit_task_summary(D(2019, 1, 1), D(2019, 12, 31))
    assert (year[town].total, year[town].overdue, year[town].awaiting_sign_off) == (2, 1, 1)


def test_unit_task_summary_for_given_units(tasks, units):
    office = units[UnitKind.OFFICE]
    police = units[UnitKind.POLICE]
    found = unit_task_summary(D(2019, 6, 1), D(2019, 6, 30), units=[office, police.pk])
    assert set(found) == {office.pk, police.pk}
    assert found[office.pk].total == 0 and found[office.pk].on_time_rate is None
    assert found[police.pk].total == 3


def test_past_summary_does_not_change_with_later_steps(tasks, personas):
    before = unit_task_summary(D(2019, 6, 1), D(2019, 6, 30))
    report_done(tasks["c"], personas[Role.HANDLER], D(2019, 8, 5))
    sign_off(tasks["c"], personas[Role.OFFICE_ADMIN], D(2019, 8, 6))
    after = unit_task_summary(D(2019, 6, 1), D(2019, 6, 30))
    assert before == after


def test_a_period_not_yet_ended_counts_late_only_what_is_past_today(personas, units):
    from django.utils import timezone

    office = personas[Role.OFFICE_STAFF]
    police = units[UnitKind.POLICE]
    today = timezone.localdate()
    prob = problem(office, inspection(office, day=today - datetime.timedelta(days=40)))
    task(office, prob, police, today + datetime.timedelta(days=5), set_on=today)
    task(
        office,
        prob,
        police,
        today - datetime.timedelta(days=2),
        set_on=today - datetime.timedelta(days=30),
    )
    found = unit_task_summary(
        today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    )
    assert (found[police.pk].total, found[police.pk].overdue) == (2, 1)
