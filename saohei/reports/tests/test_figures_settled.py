"""The figures read a clue not moved since the as-of day from its row, and look the others up
in their moves (saohei.clues.asof.settled): a clue moved after the day still counts with the
status, unit and deadline it had that day, and both ways give the same figures and the same
records behind them."""

import datetime

import pytest
from django.utils import timezone

from saohei.clues import actions as clues
from saohei.clues import supervision
from saohei.clues.asof import settled
from saohei.clues.choices import Category, Finding, Source, Status
from saohei.clues.models import Clue, ExtensionRequest
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.figures import Scope, clues_as_of, figures, overdue_as_of
from saohei.reports.tests.test_figures import at, history  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date


def drill_down(day):
    """The records behind the figures of the day, as the dashboard lists them."""
    counted = clues_as_of(Clue.objects.all(), day)
    return (
        sorted(counted.values_list("pk", "status_then", "unit_then")),
        sorted(overdue_as_of(counted, day).values_list("pk", "deadline_then")),
    )


def everything_looked_up():
    """As if no row were known to hold its clue's state: every clue is looked up."""
    Clue.objects.update(last_moved_at=None)


def test_rows_and_moves_give_the_same_figures(history):  # noqa: F811
    days = [D(2019, 3, 1), D(2019, 3, 11), D(2019, 4, 2), D(2019, 5, 1), D(2019, 6, 5)]
    days += [D(2019, 6, 11), D(2019, 6, 30), D(2019, 8, 1), D(2019, 8, 31), D(2030, 1, 1)]
    scope = Scope.everything()
    # Part of the clues are settled by the early days, all of them by the last ones.
    assert 0 < Clue.objects.filter(settled(D(2019, 5, 1))).count() < Clue.objects.count()
    assert Clue.objects.filter(settled(D(2019, 8, 31))).count() == Clue.objects.count()
    from_rows = {day: (figures(day, scope), drill_down(day)) for day in days}
    everything_looked_up()
    assert {day: (figures(day, scope), drill_down(day)) for day in days} == from_rows


@pytest.fixture
def moved_after(personas, units):
    """As of 30 June 2019, both clues are being verified by the police, deadline 10 June.
    One is not moved again; the other is returned on 5 July, routed to a regulator with a
    later deadline and concluded there."""
    from conftest import make_user

    office, police = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    regulator = make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])
    leader = make_user("regl", Role.UNIT_LEADER, unit=units[UnitKind.REGULATOR])

    def routed(subjects):
        clue = clues.register(
            office, received_on=D(2019, 6, 1), at=at(D(2019, 6, 1)), source=Source.PUBLIC,
            category=Category.INDUSTRY_DISORDER, subjects=subjects, summary="非法采砂",
        )  # fmt: skip
        clues.assign(clue, office, police.unit, deadline=D(2019, 6, 10), at=at(D(2019, 6, 3)))
        clues.accept(clue, police, at=at(D(2019, 6, 4)))
        return clue

    still, moved = routed("甲"), routed("乙")
    clues.return_clue(moved, police, reason="不属本单位管辖", at=at(D(2019, 7, 5)))
    clues.assign(moved, office, regulator.unit, deadline=D(2019, 9, 30), at=at(D(2019, 7, 6)))
    clues.accept(moved, regulator, at=at(D(2019, 7, 7)))
    clues.request_conclusion(
        moved, regulator, finding=Finding.SUBSTANTIATED, result="查实", at=at(D(2019, 7, 20))
    )
    clues.approve(moved, leader, at=at(D(2019, 7, 21)))
    return {"still": still, "moved": moved, "police": police.unit, "regulator": regulator.unit}


def unit_row(f, unit):
    return next((r for r in f["units"] if r["unit"] == unit.pk), None)


def test_a_clue_moved_after_the_day_counts_as_it_stood(moved_after):
    still, moved = moved_after["still"], moved_after["moved"]
    police, regulator = moved_after["police"], moved_after["regulator"]
    day = D(2019, 6, 30)
    # The one moved after the day is looked up; the other is read from its row.
    assert list(Clue.objects.filter(settled(day)).values_list("pk", flat=True)) == [still.pk]
    moved.refresh_from_db()
    assert (moved.status, moved.assigned_unit, moved.deadline) == (
        Status.CONCLUDED, regulator, D(2019, 9, 30),
    )  # fmt: skip

    june = figures(day, Scope.everything())
    assert (june["clues_total"], june["clues_verifying"], june["clues_concluded"]) == (2, 2, 0)
    assert june["clues_overdue"] == 2  # both past 10 June, the moved one too
    assert unit_row(june, police) | {"unit_name": None} == {
        "unit": police.pk, "unit_name": None, "unit_kind": UnitKind.POLICE, "assigned": 2,
        "concluded": 0, "interim": 0, "verifying": 2, "overdue": 2, "conclusion_rate": 0.0,
        "handed_over": 0,
    }  # fmt: skip
    assert unit_row(june, regulator)["assigned"] == 0
    statuses, overdue = drill_down(day)
    assert statuses == sorted([
        (still.pk, Status.VERIFYING, police.pk), (moved.pk, Status.VERIFYING, police.pk),
    ])  # fmt: skip
    assert overdue == sorted([(still.pk, "2019-06-10"), (moved.pk, "2019-06-10")])

    # As of a day after the move every clue is settled: the rows give the new state.
    july = figures(D(2019, 7, 31), Scope.everything())
    assert Clue.objects.filter(settled(D(2019, 7, 31))).count() == 2
    assert (july["clues_verifying"], july["clues_concluded"], july["clues_overdue"]) == (1, 1, 1)
    assert unit_row(july, regulator)["concluded"] == 1
    assert unit_row(july, police)["assigned"] == 1

    # Looking every clue up gives the same.
    everything_looked_up()
    assert figures(day, Scope.everything()) == june
    assert figures(D(2019, 7, 31), Scope.everything()) == july


def test_an_extension_decided_after_the_day_is_not_read_from_the_row(moved_after, personas):
    """Approving an extension moves the deadline on the row without a move: a clue settled
    by the day but extended after it was late that day all the same."""
    still, police = moved_after["still"], personas[Role.HANDLER]
    request = supervision.request_extension(still, police, workdays=60, reason="需调取银行流水")
    supervision.decide_extension(request, personas[Role.OFFICE_ADMIN], approve=True)
    decided = timezone.make_aware(datetime.datetime(2019, 7, 2, 10))
    ExtensionRequest.objects.filter(pk=request.pk).update(decided_at=decided)
    still.refresh_from_db()
    assert still.deadline > D(2019, 7, 31)
    day = D(2019, 6, 30)
    assert Clue.objects.filter(settled(day), pk=still.pk).exists()
    assert figures(day, Scope.everything())["clues_overdue"] == 2
    assert figures(D(2019, 7, 31), Scope.everything())["clues_overdue"] == 0
    assert drill_down(day)[1] == sorted(
        [(still.pk, "2019-06-10"), (moved_after["moved"].pk, "2019-06-10")]
    )


def test_extensions_before_and_after_the_day(moved_after, personas):
    """A clue extended twice: by an approval before the day (its row then held the new
    deadline, read from the row) and by one after it (the row changed since: looked up).
    The figures agree with looking every clue up, for days before, between and after."""
    still, police = moved_after["still"], personas[Role.HANDLER]
    admin = personas[Role.OFFICE_ADMIN]

    def extend(new_deadline, decided_on):
        request = supervision.request_extension(still, police, workdays=5, reason="需补充调查")
        supervision.decide_extension(request, admin, approve=True)
        decided = timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(10)))
        ExtensionRequest.objects.filter(pk=request.pk).update(
            decided_at=decided, new_deadline=new_deadline
        )
        Clue.objects.filter(pk=still.pk).update(deadline=new_deadline)

    extend(D(2019, 6, 20), D(2019, 6, 5))
    extend(D(2019, 8, 30), D(2019, 7, 2))
    days = [D(2019, 6, 15), D(2019, 6, 25), D(2019, 7, 1), D(2019, 7, 5)]
    # Still's deadline: 20 June from 5 June on, 30 August from 2 July on.
    expected_overdue = {D(2019, 6, 15): 1, D(2019, 6, 25): 2, D(2019, 7, 1): 2, D(2019, 7, 5): 0}
    by_rows = {day: figures(day, Scope.everything()) for day in days}
    lists = {day: drill_down(day) for day in days}
    for day in days:
        assert by_rows[day]["clues_overdue"] == expected_overdue[day], day
    assert (still.pk, "2019-06-20") in lists[D(2019, 6, 25)][1]
    everything_looked_up()
    for day in days:
        assert figures(day, Scope.everything()) == by_rows[day], day
        assert drill_down(day) == lists[day], day
