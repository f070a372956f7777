"""Status as of a past day (asof.py): exact across interim/resume cycles, ties, late entries
and Asia/Shanghai day boundaries, and the same through every entry point."""

import datetime
import random
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from saohei.clues import actions
from saohei.clues.asof import end_of_day, status_as_of, with_status_as_of
from saohei.clues.choices import Finding, Status
from saohei.clues.models import Clue, Move
from saohei.orgs.choices import Role

from .factories import new_clue

pytestmark = pytest.mark.django_db

D = datetime.date


def local(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware Asia/Shanghai time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def statuses(day):
    """{clue pk: status then} from with_status_as_of, checked against status_as_of clue by
    clue and against the grouped counts the statistics use: each test checks all three."""
    annotated = dict(with_status_as_of(Clue.objects.all(), day).values_list("pk", "status_then"))
    for clue in Clue.objects.all():
        assert status_as_of(clue, day) == annotated.get(clue.pk)
    grouped = {
        row["status_then"]: row["n"]
        for row in with_status_as_of(Clue.objects.all(), day)
        .values("status_then")
        .annotate(n=Count("id"))
    }
    assert grouped == dict(Counter(annotated.values()))
    return annotated


def test_end_of_day_is_local_midnight():
    end = end_of_day(D(2019, 6, 30))
    assert end == local(D(2019, 7, 1), 0, 0)
    assert end.astimezone(datetime.UTC) == datetime.datetime(2019, 6, 30, 16, tzinfo=datetime.UTC)


def test_interim_resume_cycles_on_each_past_day(personas):
    office, handler, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    clue = new_clue(personas, received_on=D(2019, 1, 2), at=local(D(2019, 1, 3)))
    steps = [
        (D(2019, 1, 10), lambda at: actions.assign(clue, office, handler.unit, at=at)),
        (D(2019, 1, 11), lambda at: actions.accept(clue, handler, at=at)),
        (D(2019, 3, 1), lambda at: actions.interim(clue, handler, result="阶段一", at=at)),
        (D(2019, 4, 1), lambda at: actions.resume(clue, handler, at=at)),
        (D(2019, 5, 1), lambda at: actions.interim(clue, handler, result="阶段二", at=at)),
        (D(2019, 6, 1), lambda at: actions.resume(clue, office, at=at)),
        (
            D(2019, 7, 1),
            lambda at: actions.request_conclusion(
                clue, handler, finding=Finding.PARTLY, result="部分属实", at=at
            ),
        ),
        (D(2019, 7, 5), lambda at: actions.reject(clue, leader, reason="证据不足", at=at)),
        (D(2019, 8, 1), lambda at: actions.interim(clue, handler, result="阶段三", at=at)),
        (
            D(2019, 9, 1),
            lambda at: actions.request_conclusion(
                clue, handler, finding=Finding.PARTLY, result="部分属实", at=at
            ),
        ),
        (D(2019, 9, 3), lambda at: actions.approve(clue, leader, at=at)),
    ]
    for day, step in steps:
        step(local(day, 10))
    expected = {
        D(2019, 1, 1): None,  # not received yet
        D(2019, 1, 2): Status.RECEIVED,  # received, registered the next day
        D(2019, 1, 3): Status.RECEIVED,
        D(2019, 1, 10): Status.ASSIGNED,
        D(2019, 2, 28): Status.VERIFYING,
        D(2019, 3, 1): Status.INTERIM,
        D(2019, 3, 31): Status.INTERIM,
        D(2019, 4, 1): Status.VERIFYING,
        D(2019, 5, 15): Status.INTERIM,
        D(2019, 6, 30): Status.VERIFYING,
        D(2019, 7, 2): Status.AWAITING_APPROVAL,
        D(2019, 7, 5): Status.VERIFYING,
        D(2019, 8, 31): Status.INTERIM,
        D(2019, 9, 2): Status.AWAITING_APPROVAL,
        D(2019, 9, 3): Status.CONCLUDED,
        D(2030, 1, 1): Status.CONCLUDED,
    }
    for day, status in expected.items():
        assert statuses(day).get(clue.pk) == status, day


def test_later_moves_do_not_change_a_past_report(personas):
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clues = [new_clue(personas, at=local(D(2019, 6, 3))) for _ in range(3)]
    actions.assign(clues[0], office, handler.unit, at=local(D(2019, 6, 10)))
    before = statuses(D(2019, 6, 30))
    actions.accept(clues[0], handler, at=local(D(2019, 7, 1)))
    actions.assign(clues[1], office, handler.unit, at=local(D(2019, 7, 2)))
    assert statuses(D(2019, 6, 30)) == before
    assert before == {
        clues[0].pk: Status.ASSIGNED,
        clues[1].pk: Status.RECEIVED,
        clues[2].pk: Status.RECEIVED,
    }
    assert statuses(D(2019, 7, 2))[clues[1].pk] == Status.ASSIGNED


def test_day_boundary_is_midnight_in_shanghai(personas):
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    day = D(2019, 6, 30)
    late = new_clue(personas, received_on=day, at=local(day, 8))
    actions.assign(late, office, handler.unit, at=local(day, 23, 59))
    early = new_clue(personas, received_on=day, at=local(day, 8))
    # 00:01 on 1 July in Shanghai is still 30 June in UTC (16:01): it must not count.
    actions.assign(early, office, handler.unit, at=local(day + datetime.timedelta(days=1), 0, 1))
    assert statuses(day) == {late.pk: Status.ASSIGNED, early.pk: Status.RECEIVED}
    assert statuses(day + datetime.timedelta(days=1)) == {
        late.pk: Status.ASSIGNED,
        early.pk: Status.ASSIGNED,
    }
    # A move at exactly midnight belongs to the new day.
    at_midnight = new_clue(personas, received_on=day, at=end_of_day(day))
    actions.assign(at_midnight, office, handler.unit, at=end_of_day(day))
    assert statuses(day)[at_midnight.pk] == Status.RECEIVED


def test_received_day_is_a_local_date(personas):
    """A clue counts from its received_on day, whatever the time of its first move."""
    clue = new_clue(personas, received_on=D(2019, 6, 30), at=local(D(2019, 6, 29), 23, 0))
    assert statuses(D(2019, 6, 29)).get(clue.pk) is None
    assert statuses(D(2019, 6, 30))[clue.pk] == Status.RECEIVED


def test_ties_on_the_same_time_go_to_the_later_move(personas):
    clue = new_clue(personas, at=local(D(2019, 6, 3)))
    at = local(D(2019, 6, 10), 12)
    for to_status in (Status.ASSIGNED, Status.VERIFYING, Status.INTERIM):
        Move.objects.create(clue=clue, at=at, action="x", to_status=to_status)
    assert statuses(D(2019, 6, 10))[clue.pk] == Status.INTERIM
    # A move written later but dated earlier (a backdated entry) loses to the later time,
    # whatever its id.
    Move.objects.create(clue=clue, at=local(D(2019, 6, 10), 11), action="x", to_status="parked")
    assert statuses(D(2019, 6, 10))[clue.pk] == Status.INTERIM
    Move.objects.create(clue=clue, at=at, action="x", to_status=Status.VERIFYING)
    assert statuses(D(2019, 6, 10))[clue.pk] == Status.VERIFYING


def test_ties_follow_the_move_id_not_the_insertion_order(personas):
    clue = new_clue(personas, at=local(D(2019, 6, 3)))
    at = local(D(2019, 6, 10), 12)
    Move.objects.create(id=10_002, clue=clue, at=at, action="x", to_status=Status.ASSIGNED)
    Move.objects.create(id=10_001, clue=clue, at=at, action="x", to_status=Status.PARKED)
    assert statuses(D(2019, 6, 10))[clue.pk] == Status.ASSIGNED


def test_a_clue_without_moves_by_the_day_is_received(personas):
    clue = new_clue(personas, received_on=D(2019, 6, 1), at=local(D(2019, 6, 5)))
    Move.objects.filter(clue=clue).delete()
    assert statuses(D(2019, 6, 30))[clue.pk] == Status.RECEIVED
    assert statuses(D(2019, 5, 31)).get(clue.pk) is None


def test_the_callers_filter_is_kept(personas, other_personas):
    ours = new_clue(personas, at=local(D(2019, 6, 3)))
    theirs = new_clue(other_personas, at=local(D(2019, 6, 3)))
    actions.assign(
        theirs,
        other_personas[Role.OFFICE_STAFF],
        other_personas[Role.HANDLER].unit,
        at=local(D(2019, 6, 4)),
    )
    visible = Clue.objects.visible_to(personas[Role.OFFICE_STAFF])
    assert dict(with_status_as_of(visible, D(2019, 6, 30)).values_list("pk", "status_then")) == {
        ours.pk: Status.RECEIVED
    }
    assert statuses(D(2019, 6, 30)) == {ours.pk: Status.RECEIVED, theirs.pk: Status.ASSIGNED}
    assert not with_status_as_of(visible.filter(pk=theirs.pk), D(2019, 6, 30)).exists()
    assert not with_status_as_of(Clue.objects.none(), D(2019, 6, 30)).exists()


def test_many_clues_many_days_agree_with_a_replay(personas):
    """A small random ledger, checked day by day against replaying the moves in Python."""
    rng = random.Random(7)
    clues = [
        new_clue(personas, received_on=D(2019, 6, 1 + i % 5), at=local(D(2019, 6, 6))).pk
        for i in range(12)
    ]
    cycle = [Status.ASSIGNED, Status.VERIFYING, Status.INTERIM, Status.VERIFYING]
    for pk in clues:
        for i in range(rng.randint(0, 6)):
            day = D(2019, 6, rng.randint(6, 12))
            at = local(day, rng.choice([0, 12, 23]), rng.choice([0, 1, 59]))
            Move.objects.create(clue_id=pk, at=at, action="x", to_status=cycle[i % 4])
    moves = list(Move.objects.values_list("clue_id", "at", "id", "to_status"))
    received = dict(Clue.objects.values_list("pk", "received_on"))
    for day in (D(2019, 6, d) for d in range(1, 14)):
        replay = {}
        for pk, on in received.items():
            if on > day:
                continue
            theirs = sorted(
                (at, move_id, status)
                for clue_id, at, move_id, status in moves
                if clue_id == pk and at < end_of_day(day)
            )
            replay[pk] = theirs[-1][2] if theirs else Status.RECEIVED
        assert statuses(day) == replay, day
