"""Every allowed and every forbidden transition, per role (the transition table's contract)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from saohei.clues import actions
from saohei.clues.actions import ConflictError, WorkflowError
from saohei.clues.choices import Category, Finding, Status
from saohei.clues.models import Clue, Move
from saohei.clues.transitions import STEPS
from saohei.orgs.choices import Role

from .factories import clue_in, new_clue

OFFICE = {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN}
HANDLING = {Role.HANDLER, Role.UNIT_LEADER}

# Who may take each step on a clue assigned to the police unit of the handler personas.
# Written out by hand: the test checks the table, it does not recompute it.
ALLOWED = {
    "assign": OFFICE,
    "accept": HANDLING,
    "return": HANDLING,
    "interim": HANDLING,
    "resume": OFFICE | HANDLING,
    "request_conclusion": HANDLING,
    "approve": {Role.UNIT_LEADER},
    "reject": {Role.UNIT_LEADER},
    "park": OFFICE,
    "unpark": OFFICE,
    "merge": OFFICE,
}
FROM = {
    "assign": Status.RECEIVED,
    "accept": Status.ASSIGNED,
    "return": Status.VERIFYING,
    "interim": Status.VERIFYING,
    "resume": Status.INTERIM,
    "request_conclusion": Status.VERIFYING,
    "approve": Status.AWAITING_APPROVAL,
    "reject": Status.AWAITING_APPROVAL,
    "park": Status.RECEIVED,
    "unpark": Status.PARKED,
    "merge": Status.RECEIVED,
}


def take(step, clue, user, personas):
    """Take `step` with valid input."""
    if step == "assign":
        return actions.assign(clue, user, personas[Role.HANDLER].unit)
    if step == "return":
        return actions.return_clue(clue, user, reason="不属于本单位职责")
    if step == "interim":
        return actions.interim(clue, user, result="阶段性查结")
    if step == "request_conclusion":
        return actions.request_conclusion(clue, user, finding=Finding.UNFOUNDED, result="查否")
    if step == "reject":
        return actions.reject(clue, user, reason="证据不足，继续核查")
    if step == "park":
        return actions.park(clue, user, reason="线索要素不全", until=datetime.date(2099, 1, 1))
    if step == "merge":
        return actions.merge(clue, user, into=new_clue(personas, subjects="王五"))
    return getattr(actions, step)(clue, user)


def test_the_table_covers_every_step():
    assert set(ALLOWED) == set(STEPS) == set(FROM)


@pytest.mark.django_db
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", sorted(Role))
def test_step_per_role(step, role, personas, other_personas):
    clue = clue_in(FROM[step], personas)
    before = clue.moves.count()
    if role in ALLOWED[step]:
        move = take(step, clue, personas[role], personas)
        assert clue.status == STEPS[step].target
        assert (move.actor, move.from_status, move.to_status) == (
            personas[role],
            FROM[step],
            STEPS[step].target,
        )
        assert clue.moves.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            take(step, clue, personas[role], personas)
        assert Clue.objects.get(pk=clue.pk).status == FROM[step]
        assert clue.moves.count() == before
    # Nobody of another district may take it, whatever the role.
    if role in ALLOWED[step]:
        return
    with pytest.raises(PermissionDenied):
        take(step, clue, other_personas[role], personas)


@pytest.mark.django_db
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("status", sorted(Status))
def test_step_refused_from_a_wrong_status(step, status, personas):
    if status in STEPS[step].sources:
        return
    clue = clue_in(status, personas)
    user = personas[Role.UNIT_LEADER if role_is_unit(step) else Role.OFFICE_ADMIN]
    with pytest.raises(WorkflowError) as err:
        take(step, clue, user, personas)
    assert clue.number in str(err.value)
    assert Clue.objects.get(pk=clue.pk).status == status


def role_is_unit(step):
    return Role.OFFICE_ADMIN not in ALLOWED[step]


@pytest.mark.django_db
def test_full_life_records_every_step(personas):
    clue = clue_in(Status.INTERIM, personas)
    handler, leader = personas[Role.HANDLER], personas[Role.UNIT_LEADER]
    actions.resume(clue, handler, reason="发现新线索")
    actions.request_conclusion(
        clue,
        handler,
        finding=Finding.PARTLY,
        result="部分查实",
        led_to_case=True,
        case_number="AJ2019-0001",
    )
    actions.reject(clue, leader, reason="需补充证据")
    actions.request_conclusion(clue, handler, finding=Finding.PARTLY, result="部分查实")
    actions.approve(clue, leader)
    assert [(m.action, m.to_status) for m in clue.moves.order_by("at", "id")] == [
        ("register", "received"),
        ("assign", "assigned"),
        ("accept", "verifying"),
        ("interim", "interim"),
        ("resume", "verifying"),
        ("request_conclusion", "awaiting_approval"),
        ("reject", "verifying"),
        ("request_conclusion", "awaiting_approval"),
        ("approve", "concluded"),
    ]
    assert clue.finding == Finding.PARTLY and clue.concluded_on is not None


@pytest.mark.django_db
def test_umbrella_clue_goes_to_the_discipline_commission(personas):
    clue = new_clue(personas, category=Category.UMBRELLA, subjects="某法院干部")
    office = personas[Role.OFFICE_ADMIN]
    with pytest.raises(WorkflowError) as err:
        actions.assign(clue, office, personas[Role.HANDLER].unit)
    assert err.value.code == "umbrella_to_discipline"
    actions.assign(clue, office, personas[Role.DISCIPLINE].unit)
    assert clue.status == Status.ASSIGNED


@pytest.mark.django_db
def test_routing_needs_a_member_unit_of_the_jurisdiction(personas, other_personas):
    clue = new_clue(personas)
    office = personas[Role.OFFICE_STAFF]
    with pytest.raises(WorkflowError):
        actions.assign(clue, office, office.unit)
    with pytest.raises(WorkflowError):
        actions.assign(clue, office, other_personas[Role.HANDLER].unit)
    assert clue.status == Status.RECEIVED and clue.moves.count() == 1


@pytest.mark.django_db
def test_reasons_and_results_are_required(personas):
    clue = clue_in(Status.VERIFYING, personas)
    handler = personas[Role.HANDLER]
    with pytest.raises(WorkflowError):
        actions.return_clue(clue, handler, reason="  ")
    with pytest.raises(WorkflowError):
        actions.request_conclusion(clue, handler, finding="maybe", result="x")
    with pytest.raises(WorkflowError):
        actions.request_conclusion(clue, handler, finding=Finding.SUBSTANTIATED, result="")
    with pytest.raises(WorkflowError):
        actions.request_conclusion(
            clue, handler, finding=Finding.SUBSTANTIATED, result="查实", led_to_case=True
        )
    assert clue.status == Status.VERIFYING


@pytest.mark.django_db
def test_stale_version_is_a_conflict_not_an_overwrite(personas):
    clue = clue_in(Status.ASSIGNED, personas)
    seen = clue.version
    actions.accept(clue, personas[Role.HANDLER], expected_version=seen)
    with pytest.raises(ConflictError) as err:
        actions.return_clue(clue, personas[Role.HANDLER], reason="x", expected_version=seen)
    assert err.value.code == "conflict" and clue.number in str(err.value)
    assert clue.status == Status.VERIFYING


@pytest.mark.django_db
def test_merge_rules(personas):
    a, b = new_clue(personas, subjects="甲"), new_clue(personas, subjects="乙")
    office = personas[Role.OFFICE_STAFF]
    with pytest.raises(WorkflowError):
        actions.merge(a, office, into=a)
    actions.merge(a, office, into=b)
    c = new_clue(personas, subjects="丙")
    with pytest.raises(WorkflowError, match=b.number):
        actions.merge(c, office, into=a)
    assert Move.objects.filter(clue=a, action="merge").get().data == {"into": b.number}


@pytest.mark.django_db
def test_verification_records_only_by_the_handling_unit_while_verifying(personas):
    clue = clue_in(Status.VERIFYING, personas)
    today = datetime.date.today()
    actions.add_verification(clue, personas[Role.HANDLER], done_on=today, work="走访群众5人")
    with pytest.raises(PermissionDenied):
        actions.add_verification(clue, personas[Role.DISCIPLINE], done_on=today, work="x")
    with pytest.raises(WorkflowError):
        actions.add_verification(
            clue, personas[Role.HANDLER], done_on=today + datetime.timedelta(days=2), work="x"
        )
    assert clue.verifications.count() == 1
