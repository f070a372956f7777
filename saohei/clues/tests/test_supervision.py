"""Deadline arithmetic, extensions, supervision notices and rewards."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from saohei.clues import actions, services, supervision
from saohei.clues.actions import WorkflowError
from saohei.clues.choices import Category, Decision, Finding, RewardStatus, Status
from saohei.clues.models import Clue, DeadlineRule
from saohei.orgs.choices import Role

from .factories import clue_in, new_clue


def at(day, hour=10):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.django_db
def test_deadline_counts_working_days_over_the_national_day(personas):
    DeadlineRule.objects.update_or_create(category=Category.EVIL_FORCE, defaults={"workdays": 5})
    clue = new_clue(personas)
    actions.assign(
        clue,
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER].unit,
        at=at(datetime.date(2019, 9, 27)),
    )
    # Friday 27 Sept 2019 + 5 working days: Sunday 29th (a make-up workday), Monday 30th,
    # then the 1–7 October holiday, then 8, 9 and 10 October.
    assert clue.deadline == datetime.date(2019, 10, 10)


@pytest.mark.django_db
def test_overdue_and_due_soon_lists(personas):
    office, unit = personas[Role.OFFICE_STAFF], personas[Role.HANDLER].unit
    today = datetime.date(2019, 9, 30)
    late, soon, later = (new_clue(personas, subjects=n) for n in ("甲", "乙", "丙"))
    for clue, due in (
        (late, datetime.date(2019, 9, 27)),
        (soon, datetime.date(2019, 10, 9)),
        (later, datetime.date(2019, 10, 11)),
    ):
        actions.assign(clue, office, unit, deadline=due, at=at(datetime.date(2019, 9, 2)))
    clues = Clue.objects.all()
    assert list(services.overdue(clues, today)) == [late]
    # Three working days after 30 Sept 2019 reach 10 October (1–7 October are holidays).
    assert list(services.due_soon(clues, today)) == [soon]
    actions.accept(late, personas[Role.HANDLER])
    actions.interim(late, personas[Role.HANDLER], result="阶段性查结")
    assert list(services.overdue(clues, today)) == []  # the stage is done: no longer late


@pytest.mark.django_db
def test_extension_needs_the_office_and_moves_the_deadline(personas):
    clue = clue_in(Status.VERIFYING, personas)
    before = clue.deadline
    with pytest.raises(PermissionDenied):
        supervision.request_extension(clue, personas[Role.OFFICE_STAFF], workdays=5, reason="x")
    req = supervision.request_extension(
        clue, personas[Role.HANDLER], workdays=5, reason="涉案人员外出，需延期"
    )
    with pytest.raises(WorkflowError):
        supervision.request_extension(clue, personas[Role.HANDLER], workdays=5, reason="again")
    with pytest.raises(PermissionDenied):
        supervision.decide_extension(req, personas[Role.UNIT_LEADER], approve=True)
    supervision.decide_extension(req, personas[Role.OFFICE_ADMIN], approve=True)
    clue.refresh_from_db()
    assert req.decision == Decision.APPROVED
    assert clue.deadline == req.new_deadline > before


@pytest.mark.django_db
def test_notice_acknowledged_and_answered_by_the_unit(personas):
    clue = clue_in(Status.VERIFYING, personas)
    with pytest.raises(PermissionDenied):
        supervision.issue_notice(clue, personas[Role.HANDLER], level="urge", text="x")
    notice = supervision.issue_notice(
        clue, personas[Role.OFFICE_STAFF], level="listed", text="请于3个工作日内报告核查进展"
    )
    assert notice.unit == personas[Role.HANDLER].unit
    with pytest.raises(PermissionDenied):
        supervision.acknowledge_notice(notice, personas[Role.DISCIPLINE])
    supervision.acknowledge_notice(notice, personas[Role.HANDLER])
    assert notice.acknowledged_at and not notice.answered_at
    assert list(supervision.unanswered_notices(clue.notices.all())) == [notice]
    supervision.answer_notice(notice, personas[Role.UNIT_LEADER], answer="已调取证据，正在核查")
    assert list(supervision.unanswered_notices(clue.notices.all())) == []
    type(notice).objects.filter(pk=notice.pk).update(
        answered_at=None, answer_due=datetime.date(2019, 1, 2)
    )
    notice.refresh_from_db()
    assert notice.is_late


def concluded(personas, finding=Finding.SUBSTANTIATED):
    clue = clue_in(Status.VERIFYING, personas)
    actions.request_conclusion(clue, personas[Role.HANDLER], finding=finding, result="查实")
    actions.approve(clue, personas[Role.UNIT_LEADER])
    return clue


@pytest.mark.django_db
def test_reward_ceiling_is_refused_with_a_clear_message(personas, settings):
    clue = concluded(personas)
    office = personas[Role.OFFICE_STAFF]
    with pytest.raises(WorkflowError) as err:
        supervision.propose_reward(clue, office, amount=Decimal("200001"), basis="依据奖励办法")
    assert err.value.code == "over_ceiling" and "200,000" in str(err.value)
    supervision.propose_reward(clue, office, amount=Decimal("150000"), basis="依据奖励办法")
    with pytest.raises(WorkflowError):
        supervision.propose_reward(clue, office, amount=Decimal("60000"), basis="追加")
    settings.SAOHEI_REWARD_CEILING = 300_000
    supervision.propose_reward(clue, office, amount=Decimal("60000"), basis="追加")


@pytest.mark.django_db
def test_reward_only_for_substantiated_and_approved_by_the_office_head(personas):
    unfounded = concluded(personas, Finding.UNFOUNDED)
    office, head = personas[Role.OFFICE_STAFF], personas[Role.OFFICE_ADMIN]
    with pytest.raises(WorkflowError):
        supervision.propose_reward(unfounded, office, amount=Decimal("1000"), basis="x")
    clue = concluded(personas)
    reward = supervision.propose_reward(clue, office, amount=Decimal("5000"), basis="奖励办法第5条")
    with pytest.raises(PermissionDenied):
        supervision.decide_reward(reward, office, approve=True)
    with pytest.raises(WorkflowError):
        supervision.record_payment(
            reward, office, paid_on=datetime.date.today(), reference="PZ-001"
        )
    supervision.decide_reward(reward, head, approve=True)
    supervision.record_payment(
        reward, office, paid_on=datetime.date.today(), reference="PZ-2019-017"
    )
    assert reward.status == RewardStatus.PAID
