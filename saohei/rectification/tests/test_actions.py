"""Task states: progress, report done, sign-off (never by the responsible person), send back,
reopen after a follow-up review, and who may take each step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from saohei.orgs.choices import Role, UnitKind
from saohei.rectification import actions
from saohei.rectification.choices import EventKind, InspectionKind, TaskStatus
from saohei.rectification.models import Task

from .factories import at, inspection, problem, report_done, sign_off, task, upload

D = datetime.date


@pytest.fixture
def setup(personas, units):
    office = personas[Role.OFFICE_STAFF]
    police = units[UnitKind.POLICE]
    insp = inspection(office)
    prob = problem(office, insp, units=[police])
    t = task(office, prob, police, D(2019, 6, 28))
    return office, personas[Role.HANDLER], t


def test_task_moves_through_report_and_sign_off(setup, personas):
    office, handler, t = setup
    assert t.status == TaskStatus.IN_PROGRESS
    actions.report_progress(
        t, handler, text="已召开党委会研究部署", day=D(2019, 6, 3), at=at(D(2019, 6, 3))
    )
    t.refresh_from_db()
    assert t.status == TaskStatus.IN_PROGRESS
    report_done(t, handler, D(2019, 6, 20))
    assert t.status == TaskStatus.REPORTED
    assert t.evidence.count() == 1
    sign_off(t, personas[Role.OFFICE_ADMIN], D(2019, 6, 21))
    assert t.status == TaskStatus.SIGNED_OFF
    assert t.signed_off_by == personas[Role.OFFICE_ADMIN]
    kinds = list(t.events.values_list("kind", "status"))
    assert kinds == [
        (EventKind.CREATED, TaskStatus.IN_PROGRESS),
        (EventKind.PROGRESS, TaskStatus.IN_PROGRESS),
        (EventKind.REPORTED, TaskStatus.REPORTED),
        (EventKind.SIGNED_OFF, TaskStatus.SIGNED_OFF),
    ]


def test_sign_off_refused_to_the_responsible_person(setup, units):
    office, handler, t = setup
    report_done(t, handler, D(2019, 6, 20))
    # The responsible person is named 李建军; an office user of that name is refused too
    # when the task names them by account.
    Task.objects.filter(pk=t.pk).update(responsible_user=None)
    responsible = make_user("lijj", Role.OFFICE_STAFF, unit=units[UnitKind.OFFICE])
    t.responsible_user = responsible
    t.save()
    with pytest.raises(PermissionDenied, match="someone else must sign it off"):
        sign_off(t, responsible, D(2019, 6, 21))
    t.refresh_from_db()
    assert t.status == TaskStatus.REPORTED


def test_sign_off_refused_to_the_person_named_in_the_unit(personas, units):
    office = personas[Role.OFFICE_STAFF]
    office_unit = units[UnitKind.OFFICE]
    named = make_user("wang", Role.OFFICE_ADMIN, unit=office_unit, full_name="王立新")
    t = task(
        office, problem(office, inspection(office)), office_unit, D(2019, 6, 28), person="王立新"
    )
    report_done(t, office, D(2019, 6, 20))
    with pytest.raises(PermissionDenied):
        sign_off(t, named, D(2019, 6, 21))
    with pytest.raises(PermissionDenied, match="You reported this task done"):
        sign_off(t, office, D(2019, 6, 21))
    sign_off(t, personas[Role.CLUE_CUSTODIAN], D(2019, 6, 21))
    assert t.status == TaskStatus.SIGNED_OFF


def test_sign_off_needs_evidence_checked_and_a_note(setup, personas):
    office, handler, t = setup
    report_done(t, handler, D(2019, 6, 20))
    admin = personas[Role.OFFICE_ADMIN]
    with pytest.raises(actions.RectificationError, match="Check the evidence"):
        actions.sign_off(t, admin, note="到位", evidence_checked=False)
    with pytest.raises(actions.RectificationError, match="sign-off note"):
        actions.sign_off(t, admin, note=" ", evidence_checked=True)
    t.refresh_from_db()
    assert t.status == TaskStatus.REPORTED


def test_only_the_office_signs_off(setup, personas):
    office, handler, t = setup
    report_done(t, handler, D(2019, 6, 20))
    for role in (Role.UNIT_LEADER, Role.LEADER_VIEWER, Role.DISCIPLINE):
        with pytest.raises(PermissionDenied):
            sign_off(t, personas[role], D(2019, 6, 21))


def test_sign_off_only_after_the_unit_reports_it_done(setup, personas):
    office, handler, t = setup
    with pytest.raises(actions.RectificationError, match="not possible now"):
        sign_off(t, personas[Role.OFFICE_ADMIN], D(2019, 6, 21))


def test_reporting_done_needs_evidence_and_the_responsible_unit(setup, personas):
    office, handler, t = setup
    with pytest.raises(actions.RectificationError, match="Attach the evidence"):
        actions.report_progress(t, handler, text="已完成", done=True, day=D(2019, 6, 3))
    with pytest.raises(PermissionDenied):
        actions.report_progress(
            t, personas[Role.DISCIPLINE], text="已完成", files=[upload()], done=True
        )
    t.refresh_from_db()
    assert t.status == TaskStatus.IN_PROGRESS and not t.reports.exists()


def test_send_back_and_reopen(setup, personas):
    office, handler, t = setup
    admin = personas[Role.OFFICE_ADMIN]
    report_done(t, handler, D(2019, 6, 20))
    actions.send_back(t, admin, reason="缺少会议记录", at=at(D(2019, 6, 21)))
    assert t.status == TaskStatus.IN_PROGRESS
    report_done(t, handler, D(2019, 6, 24))
    sign_off(t, admin, D(2019, 6, 25))
    review = inspection(office, D(2019, 9, 10), kind=InspectionKind.FOLLOW_UP)
    with pytest.raises(actions.RectificationError, match="Say what"):
        actions.reopen(t, admin, reason="", deadline=D(2019, 10, 31), at=at(D(2019, 9, 12)))
    actions.reopen(
        t,
        admin,
        reason="回头看发现会议记录缺失",
        deadline=D(2019, 10, 31),
        review=review,
        at=at(D(2019, 9, 12)),
    )
    assert t.status == TaskStatus.REOPENED
    assert t.deadline == D(2019, 10, 31)
    assert t.signed_off_at is None
    last = t.events.last()
    assert last.kind == EventKind.REOPENED and last.data["review"] == review.pk
    assert last.from_status == TaskStatus.SIGNED_OFF


def test_reopen_only_a_signed_off_task(setup, personas):
    office, handler, t = setup
    with pytest.raises(actions.RectificationError, match="not possible now"):
        actions.reopen(t, personas[Role.OFFICE_ADMIN], reason="问题反弹", deadline=D(2030, 1, 1))


def test_stale_form_is_refused(setup, personas):
    office, handler, t = setup
    report_done(t, handler, D(2019, 6, 20))
    with pytest.raises(actions.ConflictError):
        actions.sign_off(
            t, personas[Role.OFFICE_ADMIN], note="到位", evidence_checked=True, expected_version=0
        )


def test_task_deadline_before_it_is_set_is_refused(personas, units):
    office = personas[Role.OFFICE_STAFF]
    prob = problem(office, inspection(office))
    with pytest.raises(actions.RectificationError, match="before the day the task is set"):
        task(office, prob, units[UnitKind.POLICE], D(2019, 5, 1))


def test_agencies_and_other_districts_cannot_set_tasks(personas, other_personas, units):
    office = personas[Role.OFFICE_STAFF]
    prob = problem(office, inspection(office))
    with pytest.raises(PermissionDenied):
        task(personas[Role.HANDLER], prob, units[UnitKind.POLICE], D(2019, 6, 28))
    with pytest.raises(PermissionDenied):
        task(other_personas[Role.OFFICE_STAFF], prob, units[UnitKind.POLICE], D(2019, 6, 28))


def test_problems_are_numbered_within_their_inspection(personas):
    office = personas[Role.OFFICE_STAFF]
    insp = inspection(office)
    assert [problem(office, insp).number for _ in range(3)] == [1, 2, 3]


def test_office_changes_a_task_and_the_change_is_kept(setup, personas, units):
    office, handler, t = setup
    town = units[UnitKind.TOWNSHIP]
    event = actions.edit_task(
        t, office, measures="调整后的整改措施", responsible_unit=town, responsible_person="周建华"
    )
    t.refresh_from_db()
    assert (t.measures, t.responsible_unit, t.responsible_person) == (
        "调整后的整改措施",
        town,
        "周建华",
    )
    assert event.kind == EventKind.EDITED
    assert event.data["responsible_unit_id"] == [units[UnitKind.POLICE].pk, town.pk]
    with pytest.raises(actions.RectificationError, match="Nothing was changed"):
        actions.edit_task(
            t,
            office,
            measures="调整后的整改措施",
            responsible_unit=town,
            responsible_person="周建华",
        )
    with pytest.raises(PermissionDenied):
        actions.edit_task(t, handler, measures="x", responsible_unit=town, responsible_person="y")
