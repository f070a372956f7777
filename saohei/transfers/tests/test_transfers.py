"""The transfer lifecycle: send, sign for, answer or return, deadlines in working days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from saohei.clues.choices import Category, Status
from saohei.clues.models import Clue
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind
from saohei.transfers import actions
from saohei.transfers.choices import TransferKind, TransferStatus
from saohei.transfers.models import Transfer
from saohei.transfers.services import transfers_unanswered, unacknowledged_late

from .factories import at

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2019, 6, 3)  # the week of the Dragon Boat Festival (7 June, a holiday)


@pytest.fixture
def regulator(units, make_regulator):
    return make_regulator


@pytest.fixture
def make_regulator(units):
    from conftest import make_user

    return make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])


def send_to_regulator(personas, units, **kw):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    return actions.send(
        personas[Role.OFFICE_STAFF],
        clue=clue,
        to_unit=units[UnitKind.REGULATOR],
        kind=TransferKind.JURISDICTION,
        reason="砂石市场欺行霸市，请依职责整治并反馈",
        at=kw.pop("at", at(MONDAY)),
        **kw,
    )


def test_deadlines_count_working_days_and_skip_the_festival(personas, units):
    transfer = send_to_regulator(personas, units)
    assert transfer.number == "YS2019-0001"
    assert transfer.status == TransferStatus.SENT
    assert transfer.acknowledge_due == datetime.date(2019, 6, 6)
    # 15 working days from Monday 3 June, 7 June being a holiday: 25 June, not 24 June.
    assert transfer.answer_due == datetime.date(2019, 6, 25)


def test_the_receiving_unit_reads_the_clue_only_once_it_is_transferred(personas, units, regulator):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    assert not Clue.objects.visible_to(regulator).filter(pk=clue.pk).exists()
    actions.send(
        personas[Role.OFFICE_STAFF],
        clue=clue,
        to_unit=regulator.unit,
        kind=TransferKind.JURISDICTION,
        reason="请核查",
    )
    assert Clue.objects.visible_to(regulator).filter(pk=clue.pk).exists()
    assert Transfer.objects.visible_to(regulator).count() == 1


def test_sign_for_then_answer(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    actions.acknowledge(transfer, regulator, at=at(MONDAY + datetime.timedelta(days=1)))
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert transfer.acknowledged_by == regulator
    actions.answer(transfer, regulator, text="已约谈砂石场负责人，责令整改")
    assert transfer.status == TransferStatus.ANSWERED
    assert transfer.answer == "已约谈砂石场负责人，责令整改"
    assert not transfer.is_open


def test_answering_signs_for_it_too(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    actions.answer(transfer, regulator, text="已处理")
    assert transfer.acknowledged_at is not None and transfer.acknowledged_by == regulator


def test_only_the_receiving_unit_signs_and_answers(personas, units):
    transfer = send_to_regulator(personas, units)
    for user in (personas[Role.OFFICE_STAFF], personas[Role.HANDLER], personas[Role.DISCIPLINE]):
        with pytest.raises(PermissionDenied):
            actions.acknowledge(transfer, user)
        with pytest.raises(PermissionDenied):
            actions.answer(transfer, user, text="x")


def test_return_needs_a_reason_and_closes_the_transfer(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    with translation.override("zh-hans"), pytest.raises(actions.TransferError) as err:
        actions.return_transfer(transfer, regulator, reason=" ")
    assert "退回" in " ".join(err.value.messages)
    actions.return_transfer(transfer, regulator, reason="不属于本部门职责，应由区住建局办理")
    assert transfer.status == TransferStatus.RETURNED
    with pytest.raises(actions.TransferError):
        actions.answer(transfer, regulator, text="迟到的反馈")


def test_a_step_twice_is_refused(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    actions.acknowledge(transfer, regulator)
    with pytest.raises(actions.TransferError):
        actions.acknowledge(transfer, regulator)


def test_a_stale_form_gets_a_conflict(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    version = transfer.version
    actions.acknowledge(transfer, regulator, expected_version=version)
    with pytest.raises(actions.TransferConflict):
        actions.answer(transfer, regulator, text="已处理", expected_version=version)


def test_late_acknowledgement_and_answer_are_listed(personas, units, regulator):
    transfer = send_to_regulator(personas, units)
    transfers = Transfer.objects.all()
    assert list(unacknowledged_late(transfers, datetime.date(2019, 6, 6))) == []
    assert list(unacknowledged_late(transfers, datetime.date(2019, 6, 10))) == [transfer]
    assert transfer.late_acknowledgement(datetime.date(2019, 6, 10))
    actions.acknowledge(transfer, regulator)
    assert list(unacknowledged_late(transfers, datetime.date(2019, 6, 10))) == []
    assert list(transfers_unanswered(transfers, datetime.date(2019, 6, 25))) == []
    assert list(transfers_unanswered(transfers, datetime.date(2019, 6, 26))) == [transfer]
    actions.answer(transfer, regulator, text="已处理")
    assert list(transfers_unanswered(transfers, datetime.date(2019, 6, 26))) == []


def test_umbrella_matters_go_to_the_discipline_commission(personas, units):
    handler = personas[Role.HANDLER]
    clue = clue_in(Status.VERIFYING, personas, category=Category.GANG)
    with translation.override("zh-hans"), pytest.raises(actions.TransferError) as err:
        actions.send(
            handler,
            clue=clue,
            to_unit=units[UnitKind.COURT],
            kind=TransferKind.UMBRELLA,
            reason="发现法院工作人员充当保护伞",
        )
    assert "纪律检查" in " ".join(err.value.messages) or "纪委" in " ".join(err.value.messages)
    transfer = actions.send(
        handler,
        clue=clue,
        to_unit=units[UnitKind.DISCIPLINE],
        kind=TransferKind.UMBRELLA,
        reason="发现法院工作人员充当保护伞",
    )
    assert transfer.from_unit == handler.unit


def test_an_umbrella_clue_is_transferred_only_as_an_umbrella_matter(personas, units):
    clue = clue_in(Status.RECEIVED, personas, category=Category.UMBRELLA)
    with pytest.raises(actions.TransferError):
        actions.send(
            personas[Role.OFFICE_ADMIN],
            clue=clue,
            to_unit=units[UnitKind.DISCIPLINE],
            kind=TransferKind.JURISDICTION,
            reason="请核查",
        )


def test_the_discipline_commission_sends_criminal_matters_to_the_police(personas, units):
    clue = clue_in(Status.ASSIGNED, personas, category=Category.UMBRELLA)
    discipline = personas[Role.DISCIPLINE]
    with pytest.raises(actions.TransferError):
        actions.send(
            discipline,
            clue=clue,
            to_unit=units[UnitKind.REGULATOR],
            kind=TransferKind.CRIMINAL,
            reason="涉嫌犯罪",
        )
    transfer = actions.send(
        discipline,
        clue=clue,
        to_unit=units[UnitKind.POLICE],
        kind=TransferKind.CRIMINAL,
        reason="审查中发现涉嫌敲诈勒索犯罪线索",
    )
    assert transfer.to_unit.kind == UnitKind.POLICE
    # The police read the transfer, but the umbrella clue itself stays with the commission.
    police = personas[Role.HANDLER]
    assert Transfer.objects.visible_to(police).filter(pk=transfer.pk).exists()
    assert not Clue.objects.visible_to(police).filter(pk=clue.pk).exists()


def test_the_same_thing_is_not_sent_twice_while_open(personas, units):
    transfer = send_to_regulator(personas, units)
    with pytest.raises(actions.TransferError):
        actions.send(
            personas[Role.OFFICE_STAFF],
            clue=transfer.clue,
            to_unit=transfer.to_unit,
            kind=TransferKind.JURISDICTION,
            reason="再次移送",
        )


def test_a_unit_cannot_transfer_what_it_cannot_see_or_to_itself(personas, units, other_units):
    clue = clue_in(Status.RECEIVED, personas)
    with pytest.raises(PermissionDenied):
        actions.send(
            personas[Role.HANDLER],
            clue=clue,
            to_unit=units[UnitKind.DISCIPLINE],
            kind=TransferKind.UMBRELLA,
            reason="x",
        )
    with pytest.raises(actions.TransferError):
        actions.send(
            personas[Role.OFFICE_STAFF],
            clue=clue,
            to_unit=personas[Role.OFFICE_STAFF].unit,
            kind=TransferKind.JURISDICTION,
            reason="x",
        )
    with pytest.raises(actions.TransferError):
        actions.send(
            personas[Role.OFFICE_STAFF],
            clue=clue,
            to_unit=other_units[UnitKind.REGULATOR],
            kind=TransferKind.JURISDICTION,
            reason="x",
        )


def test_umbrella_contents_are_read_by_the_two_units_and_the_office_head(personas, units):
    clue = clue_in(Status.VERIFYING, personas, category=Category.GANG)
    transfer = actions.send(
        personas[Role.HANDLER],
        clue=clue,
        to_unit=units[UnitKind.DISCIPLINE],
        kind=TransferKind.UMBRELLA,
        reason="法官甲收受好处",
    )
    assert Transfer.objects.visible_to(personas[Role.OFFICE_STAFF]).filter(pk=transfer.pk).exists()
    assert not transfer.contents_visible_to(personas[Role.OFFICE_STAFF])
    assert transfer.contents_visible_to(personas[Role.OFFICE_ADMIN])
    assert transfer.contents_visible_to(personas[Role.DISCIPLINE])
    assert transfer.contents_visible_to(personas[Role.HANDLER])


def test_other_districts_see_nothing(personas, units, other_personas):
    send_to_regulator(personas, units)
    for role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.HANDLER, Role.DISCIPLINE):
        assert not Transfer.objects.visible_to(other_personas[role]).exists()
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECURITY_ADMIN):
        assert not Transfer.objects.visible_to(personas[role]).exists()
