"""The case demo tells the briefing's story (DESIGN §0): seeded once for the module (the clue
demo underneath takes a while) and rolled back after it."""

import datetime
import io
import random
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation

from saohei.cases import actions, demo
from saohei.cases.actions import CaseError
from saohei.cases.choices import (
    GANG_KINDS,
    AssetKind,
    CaseKind,
    CheckPart,
    CheckStatus,
    ClosingReason,
    DisposalStatus,
    OfficialOutcome,
    Stage,
    SuspectRole,
)
from saohei.cases.discipline import overdue_disposals
from saohei.cases.models import Asset, Case, Disposal, Official, Suspect
from saohei.clues.demo import BRIEFING_DAY
from saohei.clues.models import Clue
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import User
from saohei.transfers.choices import TransferStatus
from saohei.transfers.models import Transfer
from saohei.transfers.services import transfers_unanswered, unacknowledged_late

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def _gang(charge: str) -> Case:
    return Case.objects.get(kind__in=GANG_KINDS, stage=Stage.CLOSED, name__contains=charge)


def test_two_nine_person_gangs_broken_up_and_judged():
    for charge in ("寻衅滋事", "敲诈勒索"):
        case = _gang(charge)
        assert case.opening_unit.short_name == "北湖分局"
        assert case.charges.filter(name=charge).exists()
        assert case.clues.count() == 2
        assert all(c.led_to_case and c.case_number == case.number for c in case.clues.all())
        roles = list(case.suspects.values_list("role", flat=True))
        assert len(roles) == 9
        assert roles.count(SuspectRole.LEADER) == 1
        assert roles.count(SuspectRole.CORE) in (2, 3)
        assert all(s.outcome == "sentenced" and s.sentence for s in case.suspects.all())
        assert case.closing_reason == ClosingReason.JUDGMENT
        assert case.opened_on < BRIEFING_DAY
        assert [m.action for m in case.moves.order_by("at", "id")] == [
            "open",
            "prosecute",
            "indict",
            "close",
        ]
        assert case.missing_checks() == []
        assert case.is_typical and case.typical_summary
    quarrel = _gang("寻衅滋事")
    assert "未发现" in quarrel.checks.get(part=CheckPart.UMBRELLA).result
    assert quarrel.checks.get(part=CheckPart.UMBRELLA).responsible_unit.short_name == "区纪委监委"


def test_extortion_gang_vehicles_fines_and_umbrella():
    case = _gang("敲诈勒索")
    vehicles = Asset.objects.filter(case=case, kind=AssetKind.VEHICLE)
    assert vehicles.aggregate(n=Sum("count"))["n"] == 4
    assert len(re.findall(r"黑E·\w{5}", " ".join(v.description for v in vehicles))) == 4
    fines = Asset.objects.filter(case=case, kind=AssetKind.FINE, measure="fined")
    assert fines.aggregate(s=Sum("amount"))["s"] == Decimal("700000")
    # The district's whole figures are these (4 vehicles, 700,000 yuan).
    assert Asset.objects.filter(kind=AssetKind.VEHICLE).aggregate(n=Sum("count"))["n"] == 4
    assert Asset.objects.filter(kind=AssetKind.FINE).aggregate(s=Sum("amount"))["s"] == 700000
    check = case.checks.get(part=CheckPart.UMBRELLA)
    umbrella = check.discipline_case
    assert check.status == CheckStatus.DONE
    assert umbrella.kind == CaseKind.UMBRELLA and umbrella.protects == case
    assert umbrella.officials.count() >= 1


def test_oil_field_campaign():
    oil = Case.objects.filter(is_oil=True)
    assert oil.count() == 3
    assert all(c.opening_unit.short_name == "油田分局" for c in oil)
    assert all(c.charges.filter(name="盗窃").exists() for c in oil)
    assert all("号井" in c.oil_sites for c in oil)
    assert Suspect.objects.filter(case__in=oil).count() == 5
    assert oil.aggregate(t=Sum("crude_oil_tonnes"))["t"] == Decimal("4.63")
    machines = Asset.objects.get(case__in=oil, kind=AssetKind.EQUIPMENT)
    assert machines.count == 330 and "矿机" in machines.description
    assert oil.filter(stage=Stage.INVESTIGATION).exists()


def test_ten_court_officials_investigated_as_umbrellas():
    officials = Official.objects.all()
    assert officials.count() == 10
    assert set(officials.values_list("employer", flat=True)) == {"北湖区人民法院"}
    assert all(o.case.kind == CaseKind.UMBRELLA for o in officials)
    assert all(o.case.opening_unit.kind == UnitKind.DISCIPLINE for o in officials)
    # All of them by the briefing day.
    assert all(o.case.opened_on <= BRIEFING_DAY for o in officials)
    outcomes = set(officials.values_list("outcome", flat=True))
    assert OfficialOutcome.PENDING in outcomes
    assert len(outcomes - {OfficialOutcome.PENDING}) >= 3
    assert Case.objects.filter(kind=CaseKind.UMBRELLA, protects__kind__in=GANG_KINDS).exists()


def test_transfers_both_ways_only_after_the_briefing_day():
    police, commission = UnitKind.POLICE, UnitKind.DISCIPLINE
    to_commission = Transfer.objects.filter(from_unit__kind=police, to_unit__kind=commission)
    to_police = Transfer.objects.filter(from_unit__kind=commission, to_unit__kind=police)
    assert to_commission.filter(kind="umbrella").exists()
    assert to_police.filter(kind="criminal").exists()
    by_briefing = _end_of(BRIEFING_DAY)
    assert not to_commission.filter(sent_at__lte=by_briefing).exists()
    assert not to_police.filter(sent_at__lte=by_briefing).exists()
    to_regulators = Transfer.objects.filter(
        from_unit__kind=UnitKind.OFFICE, to_unit__kind=UnitKind.REGULATOR, kind="jurisdiction"
    )
    assert all(t.clue.category == "industry_disorder" for t in to_regulators)
    everything = Transfer.objects.all()
    assert unacknowledged_late(everything).exists()
    assert transfers_unanswered(everything).exists()
    returned = everything.filter(status=TransferStatus.RETURNED)
    assert returned.exists() and all(t.return_reason for t in returned)
    answered = everything.filter(status=TransferStatus.ANSWERED)
    assert any(t.answered_at.date() <= t.answer_due for t in answered)
    assert any(t.answered_at.date() > t.answer_due for t in answered)
    today = timezone.localdate()
    fresh = to_regulators.filter(
        to_unit__short_name="区自然资源局",
        status=TransferStatus.SENT,
        sent_at__gte=_end_of(today - datetime.timedelta(days=7)),
    )
    assert fresh.exists() and not fresh.first().late_acknowledgement()
    for t in everything:
        assert t.acknowledged_at is None or t.acknowledged_at >= t.sent_at
        assert t.answered_at is None or t.answered_at >= t.acknowledged_at


def test_gang_case_without_its_umbrella_check_cannot_close():
    case = Case.objects.get(
        kind__in=GANG_KINDS, stage=Stage.INVESTIGATION, handling_unit__short_name="北湖分局"
    )
    police = User.objects.get(username="police_bh")
    with translation.override("zh-hans"):
        label = str(CheckPart.UMBRELLA.label)
        assert case.missing_checks() == [label]
        with pytest.raises(CaseError) as refused:
            actions.move(case, "close", police, closing_reason=ClosingReason.JUDGMENT)
    assert refused.value.code == "checks_missing"
    assert label in refused.value.messages[0]
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    # It was once with the procuratorate and sent back for more investigation.
    assert case.moves.filter(action="return_for_investigation").exists()


def test_disposals_and_recent_work():
    disposals = Disposal.objects.all()
    assert disposals.values("way").distinct().count() >= 3
    assert disposals.filter(status=DisposalStatus.DONE).exists()
    assert disposals.filter(status=DisposalStatus.PROPOSED).exists()
    assert overdue_disposals(disposals).exists()
    assert all(d.clue.category == "umbrella" for d in disposals)
    assert all(d.created_at <= (d.decided_at or d.created_at) for d in disposals)
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=10)
    assert Case.objects.filter(stage=Stage.TRIAL, stage_since__gte=recent).exists()
    assert (
        Case.objects.filter(kind__in=GANG_KINDS)
        .filter(checks__status=CheckStatus.PENDING, checks__responsible_unit__kind="regulator")
        .exists()
    )


def test_histories_are_consistent():
    for case in Case.objects.all():
        moves = list(case.moves.order_by("at", "id"))
        assert moves[0].action == "open" and moves[0].at.date() == case.opened_on
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.from_stage == before.to_stage
        assert moves[-1].to_stage == case.stage
        assert moves[-1].at.date() == case.stage_since
        assert moves[-1].at.date() <= timezone.localdate()
    typical = Case.objects.filter(is_typical=True)
    assert typical.count() >= 2
    # Published summaries name defendants as 某某 and nobody else.
    for case in typical:
        for suspect in case.suspects.all():
            assert suspect.name not in case.typical_summary


def test_the_briefing_day_clue_figures_are_untouched():
    # Clues the case demo adds are recent: the 57 of the briefing day stay 57.
    assert Clue.objects.filter(received_on__lte=BRIEFING_DAY).count() == 57


def test_seed_is_idempotent_and_audited():
    from saohei.audit.services import verify_chain

    counts = (Case.objects.count(), Transfer.objects.count(), Disposal.objects.count())
    assert demo.seed(random.Random(1)) == {"cases": 0}
    assert (Case.objects.count(), Transfer.objects.count(), Disposal.objects.count()) == counts
    assert verify_chain() is None
