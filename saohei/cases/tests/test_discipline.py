"""The discipline commission's four ways of disposal, limits and sign-off."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from saohei.cases import discipline
from saohei.cases.choices import DisposalStatus, DisposalWay
from saohei.cases.models import Disposal, DisposalRule
from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.core.workdays import add_workdays
from saohei.orgs.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(personas):
    from conftest import make_user

    return make_user(
        "jw_chief", Role.DISCIPLINE, Role.UNIT_LEADER, unit=personas[Role.DISCIPLINE].unit
    )


@pytest.fixture
def umbrella_clue(personas):
    return clue_in(Status.ASSIGNED, personas, category=Category.UMBRELLA, subjects="法官甲")


def test_propose_sign_off_and_complete(personas, chief, umbrella_clue):
    inspector = personas[Role.DISCIPLINE]
    DisposalRule.objects.update_or_create(way=DisposalWay.PRELIMINARY, defaults={"workdays": 15})
    at = datetime.datetime(2019, 6, 3, 10, tzinfo=datetime.UTC)
    disposal = discipline.propose(
        umbrella_clue, inspector, way=DisposalWay.PRELIMINARY, reason="反映问题具体，可查性强"
    )
    assert disposal.status == DisposalStatus.PROPOSED and disposal.due is None
    with pytest.raises(PermissionDenied):  # an inspector is not a leader
        discipline.sign_off(disposal, inspector, approve=True)
    discipline.sign_off(disposal, chief, approve=True, at=at)
    assert disposal.status == DisposalStatus.APPROVED
    # 15 working days from 3 June 2019, the Dragon Boat Festival (7 June) not counted.
    assert disposal.due == add_workdays(datetime.date(2019, 6, 3), 15) == datetime.date(2019, 6, 25)
    assert disposal.is_late  # today is long after 2019
    assert list(discipline.overdue_disposals(Disposal.objects.all())) == [disposal]
    discipline.complete(disposal, inspector, result="初核属实，转立案审查")
    assert disposal.status == DisposalStatus.DONE
    assert not discipline.overdue_disposals(Disposal.objects.all()).exists()


def test_the_proposer_does_not_sign_off(personas, chief, umbrella_clue):
    disposal = discipline.propose(
        umbrella_clue, chief, way=DisposalWay.TALK, reason="问题较轻，谈话函询"
    )
    with pytest.raises(PermissionDenied):
        discipline.sign_off(disposal, chief, approve=True)


def test_refused_disposal_can_be_proposed_again(personas, chief, umbrella_clue):
    inspector = personas[Role.DISCIPLINE]
    first = discipline.propose(umbrella_clue, inspector, way=DisposalWay.CLOSE, reason="无实据")
    with pytest.raises(discipline.CaseError):  # one at a time
        discipline.propose(umbrella_clue, inspector, way=DisposalWay.TALK, reason="x")
    discipline.sign_off(first, chief, approve=False, note="反映具体，不宜了结")
    assert first.status == DisposalStatus.REFUSED
    second = discipline.propose(
        umbrella_clue, inspector, way=DisposalWay.PRELIMINARY, reason="初步核实"
    )
    assert second.status == DisposalStatus.PROPOSED


def test_only_the_commission_disposes(personas, umbrella_clue):
    for role in (Role.HANDLER, Role.OFFICE_ADMIN, Role.OFFICE_STAFF):
        with pytest.raises(PermissionDenied):
            discipline.propose(umbrella_clue, personas[role], way=DisposalWay.TALK, reason="x")


def test_the_disposal_page_for_the_commission(client, personas, chief, umbrella_clue):
    client.force_login(personas[Role.DISCIPLINE])
    page = client.get(reverse("disposal_list")).content.decode()
    assert umbrella_clue.number in page  # not yet disposed of
    response = client.post(
        reverse("disposal_propose"),
        {"clue": umbrella_clue.pk, "way": DisposalWay.PRELIMINARY, "reason": "可查性强"},
    )
    assert response.status_code == 302
    disposal = Disposal.objects.get()
    client.force_login(chief)
    client.post(reverse("disposal_step", args=[disposal.pk, "sign-off"]), {"approve": "on"})
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.APPROVED
    client.force_login(personas[Role.DISCIPLINE])
    client.post(reverse("disposal_step", args=[disposal.pk, "complete"]), {"result": "已查结"})
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE


def test_other_units_cannot_act_on_the_disposal_page(client, personas, chief, umbrella_clue):
    disposal = discipline.propose(
        umbrella_clue, personas[Role.DISCIPLINE], way=DisposalWay.TALK, reason="谈话"
    )
    client.force_login(personas[Role.UNIT_LEADER])  # a police leader
    response = client.post(
        reverse("disposal_step", args=[disposal.pk, "sign-off"]), {"approve": "on"}
    )
    assert response.status_code == 404  # the police cannot see the umbrella clue at all
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.PROPOSED
