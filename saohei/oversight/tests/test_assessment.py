"""The assessment on a hand-built dataset: each computed item from the records (clues handed
over in the period, publicity held in the period, rectification tasks done on time), the
items answered with evidence or staff counts, the score and ranking under the default and
under changed weights, and the units that handed over no clue."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from saohei.clues.choices import Source
from saohei.clues.models import Clue
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit
from saohei.oversight import actions
from saohei.oversight.assessment import assess, units_without_clues
from saohei.oversight.models import AssessmentItem, PublicityActivity
from saohei.rectification.tests.factories import inspection, problem, report_done, sign_off, task

from .factories import activity, hand_over, period, unit_user

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(personas, units):
    office, admin = personas[Role.OFFICE_STAFF], personas[Role.OFFICE_ADMIN]
    police, town, regulator = (
        units[UnitKind.POLICE],
        units[UnitKind.TOWNSHIP],
        units[UnitKind.REGULATOR],
    )
    handler = personas[Role.HANDLER]  # police
    town_user, reg_user = unit_user(town), unit_user(regulator)
    p = period(admin)
    # Clues handed over: police 2 in the period, 1 after it; the regulator 1 before it; a
    # clue the police registered from a public report is not handed over.
    hand_over(handler, D(2019, 3, 1))
    hand_over(handler, D(2019, 5, 1))
    hand_over(handler, D(2019, 7, 10))
    hand_over(reg_user, D(2018, 12, 31))
    hand_over(handler, D(2019, 4, 1), source=Source.PUBLIC)
    # Publicity: the town 2 in the period (the target), the regulator 1, the police 1 after.
    activity(town_user, town, D(2019, 2, 1), text="")
    activity(town_user, town, D(2019, 6, 30), kind="case_talk")
    activity(reg_user, regulator, D(2019, 3, 3), kind="leaflet")
    activity(handler, police, D(2019, 7, 1))
    # Rectification: two police tasks due 28 June, one done on time, one never done.
    prob = problem(office, inspection(office), units=[police])
    on_time = task(office, prob, police, D(2019, 6, 28))
    task(office, prob, police, D(2019, 6, 28))
    report_done(on_time, handler, D(2019, 6, 20))
    sign_off(on_time, admin, D(2019, 6, 21))
    # Answers: police plan with evidence and one full-time staff; the town two part-timers.
    items = {i.code: i for i in AssessmentItem.objects.all()}
    actions.answer_item(handler, p, police, items["plan"], done=True, note="2019年工作要点第3条")
    actions.answer_item(handler, p, police, items["staff"], full_time=1, part_time=0)
    actions.answer_item(town_user, p, town, items["staff"], full_time=0, part_time=2)
    return {"period": p, "items": items, "units": units, "office": office, "admin": admin}


def results_by_unit(data):
    results = assess(data["period"], Unit.objects.all(), clues=Clue.objects.all())
    return {r.unit.kind: r for r in results}, results


def found(result, code):
    return next(r for r in result.items if r.item.code == code)


def test_computed_items(data):
    by_kind, _results = results_by_unit(data)
    police, town, reg = by_kind[UnitKind.POLICE], by_kind[UnitKind.TOWNSHIP], by_kind["regulator"]
    # Clues handed over in the period only, by the unit itself, as 成员单位移交.
    assert police.handed_over == 2 and reg.handed_over == 0 and town.handed_over == 0
    assert found(police, "clues").fraction == 1 and found(reg, "clues").fraction == 0
    # Publicity held in the period against the target of 2.
    assert found(town, "publicity").fraction == 1
    assert found(reg, "publicity").fraction == Decimal("0.5")
    assert found(police, "publicity").fraction == 0
    # Rectification: one of the two police tasks on time; a unit without tasks is not late.
    rect = found(police, "rectification")
    assert rect.fraction == Decimal("0.5")
    assert "1" in rect.found and "2" in rect.found
    assert found(town, "rectification").fraction == 1


def test_answered_items(data):
    by_kind, _results = results_by_unit(data)
    police, town = by_kind[UnitKind.POLICE], by_kind[UnitKind.TOWNSHIP]
    assert found(police, "plan").fraction == 1
    assert found(town, "plan").fraction == 0  # not answered
    assert found(police, "staff").fraction == 1  # a full-time staff member
    assert found(town, "staff").fraction == Decimal("0.5")  # part-time staff only
    assert found(town, "staff").answer.part_time == 2


def test_done_without_evidence_is_refused(data, personas, units):
    court_user = unit_user(units[UnitKind.COURT])
    with pytest.raises(ValidationError, match="佐证|evidence"):
        actions.answer_item(
            court_user, data["period"], units[UnitKind.COURT], data["items"]["study"], done=True
        )
    # A file is evidence enough.
    answer = actions.answer_item(
        court_user,
        data["period"],
        units[UnitKind.COURT],
        data["items"]["study"],
        done=True,
        upload=SimpleUploadedFile("学习记录.pdf", b"%PDF-1.4 minutes"),
    )
    assert answer.done and answer.file_name == "学习记录.pdf"


def test_a_unit_answers_only_for_itself(data, personas, units):
    with pytest.raises(Exception, match="may not|无权|不能"):
        actions.answer_item(
            personas[Role.HANDLER],
            data["period"],
            units[UnitKind.COURT],
            data["items"]["plan"],
            done=True,
            note="代答",
        )


def test_computed_items_are_not_answered(data, personas, units):
    with pytest.raises(ValidationError):
        actions.answer_item(
            personas[Role.HANDLER],
            data["period"],
            units[UnitKind.POLICE],
            data["items"]["clues"],
            done=True,
            note="已移交",
        )


def test_scores_and_ranking(data):
    by_kind, results = results_by_unit(data)
    # police: plan 10 + clues 15 + rectification 15 × 1/2 + staff 10
    assert by_kind[UnitKind.POLICE].score == Decimal("42.5")
    # town: publicity 10 + rectification 15 + staff 10 × 1/2
    assert by_kind[UnitKind.TOWNSHIP].score == Decimal("30")
    assert by_kind[UnitKind.REGULATOR].score == Decimal("20")
    assert [r.unit.kind for r in results[:3]] == ["police", "township", "regulator"]
    assert [r.rank for r in results] == [1, 2, 3, 4, 4, 4, 4]  # equal scores share a rank
    assert UnitKind.OFFICE not in by_kind  # the office is not assessed


def test_changed_weights_change_the_ranking(data):
    items = data["items"]
    changed = actions.set_weights(
        data["admin"], {items["clues"].pk: Decimal(0), items["publicity"].pk: Decimal(50)}
    )
    assert changed == 2
    by_kind, results = results_by_unit(data)
    assert by_kind[UnitKind.TOWNSHIP].score == Decimal("70")  # 50 + 15 + 5
    assert by_kind[UnitKind.REGULATOR].score == Decimal("40")  # 25 + 15
    assert by_kind[UnitKind.POLICE].score == Decimal("27.5")  # 10 + 7.5 + 10
    assert [r.unit.kind for r in results[:3]] == ["township", "regulator", "police"]


def test_only_the_office_head_sets_weights(data, personas):
    with pytest.raises(Exception, match="may not|无权|不能"):
        actions.set_weights(personas[Role.OFFICE_STAFF], {data["items"]["plan"].pk: 1})
    with pytest.raises(ValidationError):
        actions.set_weights(data["admin"], {data["items"]["plan"].pk: Decimal(-1)})


def test_units_without_clues(data):
    _by_kind, results = results_by_unit(data)
    silent = units_without_clues(results)
    assert silent.assessed == 7
    assert {u.kind for u in silent.units} == set(UnitKind) - {"office", "police"}
    assert silent.percent == Decimal("85.7")
    assert silent.alarming  # over 80% handed over none


def test_publicity_outside_the_units_is_not_counted(data, other_personas, other_units):
    """Another district's publicity never counts for this district's units."""
    other = unit_user(other_units[UnitKind.TOWNSHIP], name="other_town")
    activity(other, other_units[UnitKind.TOWNSHIP], D(2019, 3, 1))
    by_kind, _results = results_by_unit(data)
    counted = assess(
        data["period"],
        Unit.objects.all(),
        clues=Clue.objects.all(),
        activities=PublicityActivity.objects.all(),
    )
    other_town = next(r for r in counted if r.unit.kind == UnitKind.TOWNSHIP)
    assert other_town.unit == data["units"][UnitKind.TOWNSHIP]  # only the period's district
    assert found(by_kind[UnitKind.TOWNSHIP], "publicity").fraction == 1
    assert "2" in found(by_kind[UnitKind.TOWNSHIP], "publicity").found


def test_meetings_and_rules_read_from_the_register(data):
    """The checklist's meetings and rules are those recorded in the register of rules and
    meetings (saohei.campaigns): meetings held in the period with a record, rules issued by
    its end and in force."""
    from saohei.campaigns.models import Meeting, Regulation

    units = data["units"]
    police, town = units[UnitKind.POLICE], units[UnitKind.TOWNSHIP]
    district = police.jurisdiction_id

    def meeting(unit, day, minutes):
        Meeting.objects.create(
            kind=Meeting.Kind.UNIT, unit=unit, held_on=day, topics="部署",
            minutes=minutes, jurisdiction_id=district,
        )  # fmt: skip

    meeting(police, D(2019, 3, 1), "会议记录")
    meeting(town, D(2019, 3, 1), "")  # held, but no record
    meeting(town, D(2019, 7, 5), "会议记录")  # after the period
    rule = Regulation.objects.create(
        title="线索移交制度", unit=police, issued_on=D(2019, 2, 1), jurisdiction_id=district
    )
    Regulation.objects.create(
        title="旧制度", unit=town, issued_on=D(2018, 2, 1), jurisdiction_id=district,
        state=Regulation.State.REPLACED, replaced_by=rule,
    )  # fmt: skip
    Regulation.objects.create(
        title="新制度", unit=town, issued_on=D(2019, 8, 1), jurisdiction_id=district
    )  # issued after the period
    by_kind, _results = results_by_unit(data)
    assert found(by_kind[UnitKind.POLICE], "meetings").fraction == 1
    assert found(by_kind[UnitKind.TOWNSHIP], "meetings").fraction == 0
    assert found(by_kind[UnitKind.POLICE], "rules").fraction == 1
    assert found(by_kind[UnitKind.TOWNSHIP], "rules").fraction == 0
    assert "1" in found(by_kind[UnitKind.POLICE], "meetings").found
