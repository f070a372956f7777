"""Special funds: balances per unit with the clues' reward payouts counted as the paying
office's spending (paid ones only, by the day), never entered by hand; training: the units
that have not trained on a listed topic since it took effect, and who trained late."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from saohei.clues import supervision
from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit
from saohei.oversight import actions
from saohei.oversight.funds import balances, spending_by_purpose, wan
from saohei.oversight.models import (
    FundAllocation,
    FundSpending,
    TrainingSession,
    TrainingTopic,
)
from saohei.oversight.training import coverage, untrained_units

D = datetime.date
pytestmark = pytest.mark.django_db


def reward(personas, amount, *, paid_on=None, approve=True):
    clue = clue_in(Status.CONCLUDED, personas)
    r = supervision.propose_reward(
        clue, personas[Role.OFFICE_STAFF], amount=Decimal(amount), basis="举报属实"
    )
    if approve:
        supervision.decide_reward(r, personas[Role.OFFICE_ADMIN], approve=True)
    if paid_on:
        supervision.record_payment(
            r, personas[Role.OFFICE_STAFF], paid_on=paid_on, reference="奖字1号"
        )
    return r


@pytest.fixture
def money(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    office, police = units[UnitKind.OFFICE], units[UnitKind.POLICE]
    actions.record_allocation(
        staff, unit=office, allocated_on=D(2019, 1, 10), amount=Decimal(1_000_000), source="区财政"
    )
    actions.record_allocation(
        staff, unit=police, allocated_on=D(2019, 2, 1), amount=Decimal(310_000)
    )
    actions.record_spending(
        staff, unit=office, spent_on=D(2019, 3, 1), amount=Decimal(86_000), purpose="publicity"
    )
    actions.record_spending(
        personas[Role.HANDLER], unit=police, spent_on=D(2019, 4, 1), amount=Decimal("12000.50"),
        purpose="cases",
    )  # fmt: skip
    reward(personas, 20_000, paid_on=D(2019, 6, 1))
    reward(personas, 5_000)  # approved, not paid: not spent yet
    return {"office": office, "police": police}


def test_balances_count_paid_rewards(money):
    rows, total = balances(
        Unit.objects.all(), FundAllocation.objects.all(), FundSpending.objects.all()
    )
    by_unit = {r.unit_id: r for r in rows}
    office, police = by_unit[money["office"].pk], by_unit[money["police"].pk]
    assert (office.allocated, office.spent, office.rewards) == (1_000_000, 86_000, 20_000)
    assert office.balance == Decimal(894_000)
    assert police.balance == Decimal("297999.50")
    assert total.allocated == Decimal(1_310_000) and wan(total.allocated) == "131"
    assert total.spent_total == Decimal("118000.50")
    purposes = {p: amount for p, _label, amount in spending_by_purpose(
        Unit.objects.all(), FundSpending.objects.all())}  # fmt: skip
    assert purposes == {"cases": Decimal("12000.50"), "publicity": 86_000, "reward": 20_000}


def test_balances_as_of_a_day(money):
    rows, total = balances(
        Unit.objects.all(), FundAllocation.objects.all(), FundSpending.objects.all(),
        as_of=D(2019, 3, 31),
    )  # fmt: skip
    assert total.allocated == Decimal(1_310_000)
    assert total.spent == 86_000 and total.rewards == 0


def test_rewards_are_never_entered_by_hand(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    with pytest.raises(ValidationError) as refused:
        actions.record_spending(
            staff, unit=units[UnitKind.OFFICE], spent_on=D(2019, 3, 1), amount=Decimal(100),
            purpose="reward",
        )  # fmt: skip
    assert "purpose" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        FundSpending.objects.create(
            unit=units[UnitKind.OFFICE], spent_on=D(2019, 3, 1), amount=1, purpose="reward",
            recorded_by=staff,
        )  # fmt: skip


def test_only_the_office_allocates(personas, units):
    with pytest.raises(Exception, match="may not|无权|不能"):
        actions.record_allocation(
            personas[Role.HANDLER], unit=units[UnitKind.POLICE], allocated_on=D(2019, 1, 1),
            amount=Decimal(1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        actions.record_allocation(
            personas[Role.OFFICE_STAFF], unit=units[UnitKind.POLICE], allocated_on=D(2019, 1, 1),
            amount=Decimal(0),
        )  # fmt: skip


def test_funds_page_in_wan(client, personas, money):
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("funds")).content.decode()
    assert 'data-testid="allocated-total">131<' in page
    # A member unit sees its own money only.
    client.force_login(personas[Role.HANDLER])
    page = client.get(reverse("funds")).content.decode()
    assert 'data-testid="allocated-total">31<' in page


@pytest.fixture
def topic():
    return TrainingTopic.objects.create(
        name="关于办理“套路贷”刑事案件若干问题的意见（测试）",
        since=D(2019, 4, 9),
        due_by=D(2019, 6, 30),
    )


def test_untrained_units(personas, units, topic):
    staff = personas[Role.OFFICE_STAFF]
    police, court = units[UnitKind.POLICE], units[UnitKind.COURT]
    actions.record_training(
        personas[Role.HANDLER], unit=police, held_on=D(2019, 5, 10), topic=topic, title="专题培训",
        attendees=40,
    )  # fmt: skip
    actions.record_training(
        staff, unit=court, held_on=D(2019, 8, 1), topic=topic, title="审判实务", attendees=12
    )
    # Before the interpretation took effect: does not count.
    actions.record_training(
        staff, unit=units[UnitKind.TOWNSHIP], held_on=D(2019, 3, 1), topic=topic, title="旧规",
        attendees=5,
    )  # fmt: skip
    missing = untrained_units(topic, Unit.objects.all())
    assert {u.kind for u in missing} == set(UnitKind) - {"office", "police", "court"}
    (cov,) = coverage(TrainingTopic.objects.filter(pk=topic.pk), Unit.objects.all(),
                      TrainingSession.objects.all())  # fmt: skip
    late = {unit.kind: is_late for unit, _day, is_late in cov.trained}
    assert late == {"police": False, "court": True}  # the court trained after 30 June
    assert cov.share_untrained == round(5 / 7, 4)


def test_training_page_lists_untrained_units(client, personas, units, topic):
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("training_list")).content.decode()
    assert page.count('data-testid="untrained"') >= 7  # every listed topic, every unit
    assert "北湖区法院" in page


def test_training_needs_attendees(personas, units, topic):
    with pytest.raises(ValidationError):
        actions.record_training(
            personas[Role.HANDLER], unit=units[UnitKind.POLICE], held_on=D(2019, 5, 10),
            topic=topic, title="专题培训", attendees=0,
        )  # fmt: skip
