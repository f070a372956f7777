"""Cases: opening from clues, the stage rules, the 一案三查 gate, and who sees what."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from saohei.cases import actions
from saohei.cases.choices import CaseKind, CheckPart, CheckStatus, ClosingReason, Stage
from saohei.cases.filtersets import incomplete_checks
from saohei.cases.models import Case, StageMove
from saohei.clues.models import Clue
from saohei.orgs.choices import Role, UnitKind

from .factories import OPENED, court_and_procuratorate, gang_case, record_all_checks

pytestmark = pytest.mark.django_db


def test_a_case_opened_from_two_clues(personas):
    case = gang_case(personas)
    assert case.number == "AJ2019-0001"
    assert case.stage == Stage.INVESTIGATION and case.stage_since == OPENED
    assert case.handling_unit == personas[Role.HANDLER].unit
    assert case.clues.count() == 2
    for clue in case.clues.all():
        assert clue.led_to_case and clue.case_number == case.number
    assert list(case.moves.values_list("action", "to_stage")) == [("open", Stage.INVESTIGATION)]
    parts = dict(case.checks.values_list("part", "responsible_unit__kind"))
    assert parts == {
        CheckPart.CRIME: UnitKind.POLICE,
        CheckPart.UMBRELLA: UnitKind.DISCIPLINE,
        CheckPart.FAILURE: UnitKind.DISCIPLINE,
    }


def test_only_agencies_open_cases_and_only_of_their_kinds(personas):
    with pytest.raises(PermissionDenied):
        actions.open_case(
            personas[Role.OFFICE_STAFF],
            name="x案",
            kind=CaseKind.ORDINARY,
            opened_on=OPENED,
        )
    with pytest.raises(actions.CaseError):
        actions.open_case(
            personas[Role.HANDLER], name="x案", kind=CaseKind.UMBRELLA, opened_on=OPENED
        )
    with pytest.raises(actions.CaseError):
        actions.open_case(
            personas[Role.DISCIPLINE], name="x案", kind=CaseKind.GANG_ORG, opened_on=OPENED
        )


def test_a_unit_opens_cases_only_from_clues_it_can_see(personas, other_personas):
    from saohei.clues.choices import Status
    from saohei.clues.tests.factories import clue_in

    theirs = clue_in(Status.VERIFYING, other_personas)
    with pytest.raises(actions.CaseError):
        actions.open_case(
            personas[Role.HANDLER],
            name="x案",
            kind=CaseKind.ORDINARY,
            opened_on=OPENED,
            clues=[theirs],
        )
    assert not Clue.objects.get(pk=theirs.pk).led_to_case


def test_the_case_passes_to_the_procuratorate_and_the_court(personas, units):
    court, procurator = court_and_procuratorate(units)
    case = gang_case(personas)
    handler = personas[Role.HANDLER]
    with pytest.raises(actions.CaseError):  # the court is not a procuratorate
        actions.move(case, "prosecute", handler, unit=units[UnitKind.COURT])
    actions.move(case, "prosecute", handler, unit=units[UnitKind.PROCURATORATE])
    assert case.stage == Stage.PROSECUTION and case.handling_unit == procurator.unit
    with pytest.raises(PermissionDenied):  # the police no longer handle it
        actions.move(case, "indict", handler, unit=units[UnitKind.COURT])
    with pytest.raises(actions.CaseError):  # a reason is needed to send it back
        actions.move(case, "return_for_investigation", procurator)
    actions.move(case, "return_for_investigation", procurator, reason="补充侦查资金来源")
    assert case.stage == Stage.INVESTIGATION and case.handling_unit == handler.unit
    actions.move(case, "prosecute", handler, unit=units[UnitKind.PROCURATORATE])
    actions.move(case, "indict", procurator, unit=units[UnitKind.COURT])
    assert case.stage == Stage.TRIAL and case.handling_unit == court.unit
    assert [m.to_stage for m in case.moves.all()] == [
        Stage.INVESTIGATION,
        Stage.PROSECUTION,
        Stage.INVESTIGATION,
        Stage.PROSECUTION,
        Stage.TRIAL,
    ]


def test_steps_follow_the_stage_table(personas, units):
    case = gang_case(personas)
    handler = personas[Role.HANDLER]
    with pytest.raises(actions.CaseError):
        actions.move(case, "indict", handler, unit=units[UnitKind.COURT])
    assert [s.name for s in actions.steps_for(handler, case)] == ["prosecute", "close"]
    assert actions.steps_for(personas[Role.OFFICE_STAFF], case) == []


def test_a_gang_case_cannot_close_until_its_three_checks_are_recorded(personas):
    case = gang_case(personas)
    handler = personas[Role.HANDLER]
    with translation.override("zh-hans"), pytest.raises(actions.CaseError) as err:
        actions.move(case, "close", handler, closing_reason=ClosingReason.WITHDRAWN)
    message = " ".join(err.value.messages)
    assert "一案三查" in message
    for part in ("查涉黑涉恶犯罪", "查保护伞", "失职"):
        assert part in message, part
    crime = case.checks.get(part=CheckPart.CRIME)
    actions.record_check(crime, handler, status=CheckStatus.DONE, result="9人均已到案")
    with translation.override("zh-hans"), pytest.raises(actions.CaseError) as err:
        actions.move(case, "close", handler, closing_reason=ClosingReason.WITHDRAWN)
    message = " ".join(err.value.messages)
    assert "查涉黑涉恶犯罪" not in message and "查保护伞" in message
    record_all_checks(case, personas)
    actions.move(case, "close", handler, closing_reason=ClosingReason.WITHDRAWN)
    assert case.stage == Stage.CLOSED and case.closed_on is not None
    assert not incomplete_checks(Case.objects.all()).exists()


def test_a_check_recorded_as_done_needs_a_result(personas):
    case = gang_case(personas)
    umbrella = case.checks.get(part=CheckPart.UMBRELLA)
    with pytest.raises(actions.CaseError):
        actions.record_check(umbrella, personas[Role.DISCIPLINE], status=CheckStatus.DONE)
    with pytest.raises(PermissionDenied):  # the police do not record the umbrella check
        actions.record_check(
            umbrella, personas[Role.HANDLER], status=CheckStatus.DONE, result="未发现"
        )


def test_the_umbrella_check_links_the_discipline_case(personas):
    case = gang_case(personas)
    discipline = personas[Role.DISCIPLINE]
    umbrella_case = actions.open_case(
        discipline, name="法官甲充当保护伞案", kind=CaseKind.UMBRELLA, opened_on=OPENED
    )
    check = case.checks.get(part=CheckPart.UMBRELLA)
    actions.record_check(
        check,
        discipline,
        status=CheckStatus.DONE,
        result="查实法官甲为该团伙说情打招呼",
        discipline_case=umbrella_case,
    )
    umbrella_case.refresh_from_db()
    assert check.discipline_case == umbrella_case
    assert umbrella_case.protects == case


def test_ordinary_and_umbrella_cases_have_no_checks_and_close_freely(personas):
    handler = personas[Role.HANDLER]
    case = actions.open_case(handler, name="李四盗窃案", kind=CaseKind.ORDINARY, opened_on=OPENED)
    assert case.checks.count() == 0
    with pytest.raises(actions.CaseError):  # but it must say how it ended
        actions.move(case, "close", handler)
    actions.move(case, "close", handler, closing_reason=ClosingReason.WITHDRAWN)
    assert case.stage == Stage.CLOSED


def test_a_closed_case_takes_no_step_and_its_checks_are_frozen(personas):
    case = gang_case(personas)
    record_all_checks(case, personas)
    actions.move(case, "close", personas[Role.HANDLER], closing_reason=ClosingReason.WITHDRAWN)
    with pytest.raises(actions.CaseError):
        actions.move(case, "close", personas[Role.HANDLER], closing_reason="other")
    with pytest.raises(actions.CaseError):
        actions.record_check(
            case.checks.get(part=CheckPart.UMBRELLA),
            personas[Role.DISCIPLINE],
            status=CheckStatus.ONGOING,
        )


def test_a_stale_form_gets_a_conflict(personas, units):
    case = gang_case(personas)
    version = case.version
    actions.move(case, "prosecute", personas[Role.HANDLER], unit=units[UnitKind.PROCURATORATE])
    court, procurator = court_and_procuratorate(units)
    with pytest.raises(actions.CaseConflict):
        actions.move(
            case, "indict", procurator, unit=units[UnitKind.COURT], expected_version=version
        )


def test_a_court_sees_the_cases_handed_to_it_for_trial_and_no_others(personas, units):
    court, procurator = court_and_procuratorate(units)
    handler = personas[Role.HANDLER]
    tried = gang_case(personas, name="甲案")
    at_procuratorate = gang_case(personas, name="乙案")
    gang_case(personas, name="丙案")  # still with the police
    actions.move(tried, "prosecute", handler, unit=units[UnitKind.PROCURATORATE])
    actions.move(tried, "indict", procurator, unit=units[UnitKind.COURT])
    actions.move(at_procuratorate, "prosecute", handler, unit=units[UnitKind.PROCURATORATE])
    assert list(Case.objects.visible_to(court)) == [tried]
    assert set(Case.objects.visible_to(procurator)) == {tried, at_procuratorate}
    assert Case.objects.visible_to(handler).count() == 3
    # The court still sees the case after closing it; its moves come with it.
    record_all_checks(tried, personas)
    actions.move(tried, "close", court, closing_reason=ClosingReason.JUDGMENT)
    assert list(Case.objects.visible_to(court)) == [tried]
    assert StageMove.objects.visible_to(court).filter(case=tried).count() == 4


def test_the_discipline_commission_sees_the_cases_whose_umbrella_it_checks(personas):
    case = gang_case(personas)
    assert Case.objects.visible_to(personas[Role.DISCIPLINE]).filter(pk=case.pk).exists()


def test_umbrella_cases_are_read_by_the_commission_and_the_office_head(personas):
    umbrella = actions.open_case(
        personas[Role.DISCIPLINE], name="法官乙受贿案", kind=CaseKind.UMBRELLA, opened_on=OPENED
    )
    assert Case.objects.visible_to(personas[Role.OFFICE_ADMIN]).filter(pk=umbrella.pk).exists()
    for role in (Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.HANDLER, Role.CLUE_CUSTODIAN):
        assert not Case.objects.visible_to(personas[role]).filter(pk=umbrella.pk).exists(), role


def test_other_districts_and_the_three_officers_see_no_case(personas, other_personas):
    gang_case(personas)
    for role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.HANDLER, Role.DISCIPLINE):
        assert not Case.objects.visible_to(other_personas[role]).exists(), role
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECURITY_ADMIN):
        assert not Case.objects.visible_to(personas[role]).exists(), role


def test_a_transferred_case_is_read_by_the_receiving_unit(personas, units):
    from conftest import make_user
    from saohei.transfers import actions as transfers

    case = gang_case(personas)
    regulator = make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])
    assert not Case.objects.visible_to(regulator).filter(pk=case.pk).exists()
    transfers.send(
        personas[Role.HANDLER],
        case=case,
        to_unit=regulator.unit,
        kind="jurisdiction",
        reason="该团伙长期把持砂石市场，请依职责查处监管漏洞",
    )
    assert Case.objects.visible_to(regulator).filter(pk=case.pk).exists()
