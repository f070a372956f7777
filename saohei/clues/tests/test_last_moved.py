"""Clue.last_moved_at: the time of a clue's latest move, recorded only while the row holds the
state that move left, so that the status as of a day after it can be read from the row
(asof.settled). Whatever writes a move, the status as of any day stays the one its moves
give: a row that does not follow its moves sends the clue back to the look-up."""

import datetime

import pytest
from django.utils import timezone

from saohei.clues import actions
from saohei.clues.asof import end_of_day, settle, settled, status_as_of, with_status_as_of
from saohei.clues.choices import Status
from saohei.clues.ledger import import_clue_ledger
from saohei.clues.models import Clue, Move
from saohei.orgs.choices import Role

from .factories import new_clue
from .test_ledger import admin, police, sheet, three_rows  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
D = datetime.date


def local(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def last_moved(clue):
    return Clue.objects.values_list("last_moved_at", flat=True).get(pk=clue.pk)


def latest_move(clue):
    return Move.objects.filter(clue=clue).order_by("-at", "-id").first()


def test_each_step_records_when_it_was_made(personas):
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clue = new_clue(personas, received_on=D(2019, 6, 3), at=local(D(2019, 6, 3)))
    assert last_moved(clue) == local(D(2019, 6, 3))
    actions.assign(clue, office, handler.unit, at=local(D(2019, 6, 4)))
    actions.accept(clue, handler, at=local(D(2019, 6, 5)))
    assert last_moved(clue) == local(D(2019, 6, 5)) == latest_move(clue).at
    # Settled from the day of its latest move on; before that, looked up.
    assert Clue.objects.filter(settled(D(2019, 6, 5)), pk=clue.pk).exists()
    assert not Clue.objects.filter(settled(D(2019, 6, 4)), pk=clue.pk).exists()
    assert status_as_of(clue, D(2019, 6, 4)) == Status.ASSIGNED
    assert status_as_of(clue, D(2019, 6, 5)) == Status.VERIFYING


def test_a_move_the_row_does_not_follow_sends_the_clue_to_the_look_up(personas):
    clue = new_clue(personas, at=local(D(2019, 6, 3)))
    Move.objects.create(clue=clue, at=local(D(2019, 6, 10)), action="x", to_status="verifying")
    assert last_moved(clue) is None  # the row still says received
    assert status_as_of(clue, D(2019, 6, 30)) == Status.VERIFYING


def test_a_backdated_step_sends_the_clue_to_the_look_up(personas):
    """A step entered with a time before the latest move: the row holds its state, but the
    latest move (by time) is another one, which is what a day after both counts."""
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clue = new_clue(personas, at=local(D(2019, 6, 3)))
    actions.assign(clue, office, handler.unit, at=local(D(2019, 6, 10)))
    actions.accept(clue, handler, at=local(D(2019, 6, 5)))
    assert last_moved(clue) is None
    assert status_as_of(clue, D(2019, 6, 30)) == Status.ASSIGNED


def test_a_deleted_move_is_taken_back(personas):
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clue = new_clue(personas, at=local(D(2019, 6, 3)))
    actions.assign(clue, office, handler.unit, at=local(D(2019, 6, 4)))
    latest_move(clue).delete()
    assert last_moved(clue) is None  # the row says assigned, the moves received
    assert status_as_of(clue, D(2019, 6, 30)) == Status.RECEIVED


def test_settle_fills_in_what_the_moves_would_have(personas):
    """The data migration's back-fill gives what writing the moves one by one gave, and
    leaves out the rows that do not hold their latest move's state."""
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    received = new_clue(personas, at=local(D(2019, 6, 3)))
    verifying = new_clue(personas, subjects="李四", at=local(D(2019, 6, 3)))
    actions.assign(verifying, office, handler.unit, deadline=D(2019, 7, 1), at=local(D(2019, 6, 4)))
    actions.accept(verifying, handler, at=local(D(2019, 6, 5)))
    other_deadline = new_clue(personas, subjects="王五", at=local(D(2019, 6, 3)))
    actions.assign(other_deadline, office, handler.unit, at=local(D(2019, 6, 4)))
    other_unit = new_clue(personas, subjects="赵六", at=local(D(2019, 6, 3)))
    actions.assign(other_unit, office, handler.unit, at=local(D(2019, 6, 4)))
    recorded = dict(Clue.objects.values_list("pk", "last_moved_at"))
    assert None not in recorded.values()

    Clue.objects.filter(pk=other_deadline.pk).update(deadline=D(2030, 1, 1))
    Clue.objects.filter(pk=other_unit.pk).update(assigned_unit=personas[Role.DISCIPLINE].unit)
    Clue.objects.update(last_moved_at=None)
    assert settle(Clue.objects.all()) == 4
    assert dict(Clue.objects.values_list("pk", "last_moved_at")) == {
        received.pk: recorded[received.pk],
        verifying.pk: recorded[verifying.pk],
        other_deadline.pk: None,
        other_unit.pk: None,
    }


def test_imported_clues_are_settled_from_their_history(admin, police, tmp_path):  # noqa: F811
    result = import_clue_ledger(sheet(tmp_path / "a.xlsx", three_rows(police)), admin)
    assert result.created == 3 and not result.errors
    for clue in Clue.objects.all():
        assert last_moved(clue) == latest_move(clue).at
        # As of the day of its last move and later, read from the row: the same status.
        day = timezone.localdate(latest_move(clue).at)
        assert Clue.objects.filter(settled(day), pk=clue.pk).exists()
        assert status_as_of(clue, day) == clue.status
        before = end_of_day(day) - datetime.timedelta(days=1, seconds=1)
        assert not Clue.objects.filter(settled(before.date()), pk=clue.pk).exists()


def test_rows_and_moves_agree_on_every_day(personas):
    """with_status_as_of with the rows as recorded and with every clue looked up."""
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clues = [new_clue(personas, subjects=f"甲{i}", at=local(D(2019, 6, 1))) for i in range(4)]
    actions.assign(clues[0], office, handler.unit, at=local(D(2019, 6, 2)))
    actions.assign(clues[1], office, handler.unit, at=local(D(2019, 6, 3)))
    actions.accept(clues[1], handler, at=local(D(2019, 6, 6)))
    actions.park(clues[2], office, reason="待补充", until=D(2019, 9, 1), at=local(D(2019, 6, 4)))
    days = [D(2019, 6, d) for d in range(1, 9)]

    def statuses():
        return {
            day: dict(with_status_as_of(Clue.objects.all(), day).values_list("pk", "status_then"))
            for day in days
        }

    from_rows = statuses()
    Clue.objects.update(last_moved_at=None)
    assert statuses() == from_rows
    assert from_rows[D(2019, 6, 5)][clues[1].pk] == Status.ASSIGNED
    assert from_rows[D(2019, 6, 6)][clues[1].pk] == Status.VERIFYING
