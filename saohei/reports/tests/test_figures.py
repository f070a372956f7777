"""Every figure on a hand-built history, counted by hand, for several as-of days, including
days before later changes (DESIGN §3: a report for a past day never changes)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from saohei.cases import actions as cases
from saohei.cases.models import Asset, Suspect
from saohei.clues import actions as clues
from saohei.clues.choices import Category, Finding, Source
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.figures import Scope, figures
from saohei.transfers import actions as transfers

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def history(personas, units):
    from conftest import make_user

    office, police, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    discipline = personas[Role.DISCIPLINE]
    regulator = make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])

    def clue(day, **kw):
        return clues.register(
            office,
            received_on=day,
            at=at(day),
            source=kw.pop("source", Source.PUBLIC),
            category=kw.pop("category", Category.EVIL_FORCE),
            subjects=kw.pop("subjects", "张三"),
            summary=kw.pop("summary", "强迫交易"),
            **kw,
        )

    # C1: routed, verified, concluded on 2 April; led to a case.
    c1 = clue(D(2019, 3, 1), subjects="甲")
    clues.assign(c1, office, police.unit, at=at(D(2019, 3, 4)))
    clues.accept(c1, police, at=at(D(2019, 3, 5)))
    clues.request_conclusion(
        c1, police, finding=Finding.SUBSTANTIATED, result="查实", at=at(D(2019, 4, 1))
    )
    clues.approve(c1, leader, at=at(D(2019, 4, 2)))
    # C2: concluded for the stage on 1 May, concluded only on 1 August.
    c2 = clue(D(2019, 3, 10), subjects="乙", category=Category.INDUSTRY_DISORDER)
    clues.assign(c2, office, police.unit, deadline=D(2019, 4, 10), at=at(D(2019, 3, 11)))
    clues.accept(c2, police, at=at(D(2019, 3, 12)))
    clues.interim(c2, police, result="阶段性查结", at=at(D(2019, 5, 1)))
    clues.request_conclusion(
        c2, police, finding=Finding.UNFOUNDED, result="查否", at=at(D(2019, 8, 1))
    )
    clues.approve(c2, leader, at=at(D(2019, 8, 1), 15))
    # C3: being verified, deadline 10 June: late from 11 June on.
    c3 = clue(D(2019, 5, 20), subjects="丙", source=Source.MEMBER_UNIT)
    clues.assign(c3, office, police.unit, deadline=D(2019, 6, 10), at=at(D(2019, 5, 21)))
    clues.accept(c3, police, at=at(D(2019, 5, 22)))
    # C4 waits for routing; C5 arrives after the briefing day; C6 is a merged duplicate.
    clue(D(2019, 6, 15), subjects="丁")
    clue(D(2019, 7, 10), subjects="戊")
    c6 = clue(D(2019, 4, 1), subjects="甲")
    clues.merge(c6, office, into=c1, at=at(D(2019, 4, 2)))

    # A case from C1, at the procuratorate by 30 June, closed on 20 August.
    case = cases.open_case(
        police, name="甲等3人寻衅滋事案", kind="evil_gang", opened_on=D(2019, 4, 5),
        clues=[c1], at=at(D(2019, 4, 5)),
    )  # fmt: skip
    for name, role in (("甲", "leader"), ("甲二", "core"), ("甲三", "member")):
        Suspect.objects.create(case=case, name=name, role=role)
    Suspect.objects.filter(case=case).update(created_at=at(D(2019, 4, 8)))
    cases.move(case, "prosecute", police, unit=units[UnitKind.PROCURATORATE],
               at=at(D(2019, 5, 10)))  # fmt: skip
    procurator = make_user("jcy", Role.HANDLER, unit=units[UnitKind.PROCURATORATE])
    for check in case.checks.all():
        user = police if check.responsible_unit_id == police.unit_id else discipline
        cases.record_check(check, user, status="done", result="已查", on=D(2019, 7, 15))
    cases.move(case, "close", procurator, closing_reason="not_prosecuted",
               at=at(D(2019, 8, 20)))  # fmt: skip
    Asset.objects.create(case=case, kind="fine", measure="fined", amount=700000, on=D(2019, 7, 1))

    # Transfers: one answered in time; one from the police to the commission never answered
    # (due 1 July 2019: 15 working days after 10 June).
    t1 = transfers.send(office, clue=c2, to_unit=regulator.unit, kind="jurisdiction",
                        reason="请整治", at=at(D(2019, 6, 3)))  # fmt: skip
    transfers.answer(t1, regulator, text="已整治", at=at(D(2019, 6, 20)))
    t2 = transfers.send(police, clue=c3, to_unit=discipline.unit, kind="umbrella",
                        reason="发现保护伞", at=at(D(2019, 6, 10)))  # fmt: skip
    assert t2.answer_due == D(2019, 7, 1)
    return {"police": police.unit, "case": case}


def test_figures_by_hand_as_of_several_days(history):
    scope = Scope.everything()
    june = figures(D(2019, 6, 30), scope)
    assert (june["clues_total"], june["clues_concluded"], june["clues_interim"]) == (4, 1, 1)
    assert (june["clues_verifying"], june["clues_pending"], june["clues_overdue"]) == (1, 1, 1)
    assert june["conclusion_rate"] == 0.5
    assert june["case_conversion_rate"] == 1.0 and june["clues_led_to_case"] == 1
    assert (june["cases_opened"], june["cases_closed"], june["case_closure_rate"]) == (1, 0, 0.0)
    assert june["cases_by_stage"]["prosecution"] == 1
    assert (june["gang_cases"], june["gang_members"], june["checks_incomplete"]) == (1, 3, 1)
    assert june["fines_yuan"] == 0
    assert (june["transfers_sent"], june["transfers_answered"], june["transfers_late"]) == (
        2, 1, 0,
    )  # fmt: skip
    assert june["by_source"]["member_unit"] == 1 and june["by_source"]["public"] == 3
    assert june["by_category"]["industry_disorder"] == 1
    assert june["industry_disorder_share"] == 0.25
    police = next(r for r in june["units"] if r["unit"] == history["police"].pk)
    assert police == {
        "unit": history["police"].pk, "unit_name": history["police"].short_name or
        history["police"].name, "unit_kind": "police", "assigned": 3, "concluded": 1,
        "interim": 1, "verifying": 1, "overdue": 1, "conclusion_rate": 0.6667,
        "handed_over": 0,
    }  # fmt: skip
    assert {"month": "2019-06", "received": 1, "concluded": 0} in june["monthly"]
    assert {"month": "2019-03", "received": 2, "concluded": 0} in june["monthly"]
    assert {"month": "2019-04", "received": 0, "concluded": 1} in june["monthly"]  # C6 merged

    early = figures(D(2019, 6, 5), scope)  # before C4, and C3 not yet late
    assert (early["clues_total"], early["clues_verifying"], early["clues_overdue"]) == (3, 1, 0)
    assert early["transfers_sent"] == 1

    august = figures(D(2019, 8, 31), scope)  # after C2's conclusion and the case's closing
    assert (august["clues_total"], august["clues_concluded"], august["clues_interim"]) == (
        5, 2, 0,
    )  # fmt: skip
    assert (august["clues_pending"], august["clues_overdue"]) == (2, 1)
    assert august["conclusion_rate"] == 0.4
    assert (august["cases_closed"], august["case_closure_rate"]) == (1, 1.0)
    assert august["checks_incomplete"] == 0 and august["fines_yuan"] == 700000
    assert august["transfers_late"] == 1  # the commission never answered

    # Computing June again after all that changes nothing.
    assert figures(D(2019, 6, 30), scope) == june


def test_a_period_counts_flows_from_its_start(history):
    q2 = figures(D(2019, 6, 30), Scope.everything(), start=D(2019, 4, 1))
    assert q2["clues_total"] == 2  # C3 and C4 were received in the period; C6 was merged
    assert q2["cases_opened"] == 1
    assert q2["transfers_sent"] == 2


def test_stats_command_prints_the_same_json(history):
    out = io.StringIO()
    call_command("stats", "--as-of", "2019-06-30", "--format", "json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == json.loads(json.dumps(figures(D(2019, 6, 30), Scope.everything())))
    for key in (
        "clues_total", "clues_concluded", "clues_interim", "clues_verifying", "clues_pending",
        "clues_overdue", "conclusion_rate", "case_conversion_rate", "cases_opened",
        "cases_closed", "case_closure_rate", "transfers", "by_source", "by_category",
    ):  # fmt: skip
        assert key in printed, key


def test_stats_command_refuses_a_bad_date(history):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("stats", "--as-of", "2019-6-31")


def test_api_gives_the_office_the_same_figures(history, personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    body = client.get(reverse("api-stats") + "?as_of=2019-06-30").json()
    assert body["clues_total"] == 4 and body["clues_overdue"] == 1
    assert client.get(reverse("api-stats") + "?as_of=30/06/2019").status_code == 400


def test_other_districts_count_nothing_of_ours(history, other_personas, client):
    client.force_login(other_personas[Role.OFFICE_ADMIN])
    body = client.get(reverse("api-stats") + "?as_of=2019-06-30").json()
    assert body["clues_total"] == 0 and body["cases_opened"] == 0


def test_overdue_follows_the_deadline_as_it_stood_that_day(personas):
    """An extension counts from the day it was approved, not before."""
    from saohei.clues import supervision
    from saohei.clues.models import ExtensionRequest

    office, police = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    clue = clues.register(
        office, received_on=D(2019, 6, 3), at=at(D(2019, 6, 3)), source=Source.PUBLIC,
        category=Category.EVIL_FORCE, subjects="庚", summary="强迫交易",
    )  # fmt: skip
    clues.assign(clue, office, police.unit, deadline=D(2019, 6, 10), at=at(D(2019, 6, 4)))
    clues.accept(clue, police, at=at(D(2019, 6, 5)))
    request = supervision.request_extension(clue, police, workdays=5, reason="需调取银行流水")
    supervision.decide_extension(request, personas[Role.OFFICE_ADMIN], approve=True)
    ExtensionRequest.objects.filter(pk=request.pk).update(decided_at=at(D(2019, 6, 12)))
    assert request.new_deadline == D(2019, 6, 17)
    scope = Scope.everything()
    assert figures(D(2019, 6, 11), scope)["clues_overdue"] == 1  # not yet extended
    assert figures(D(2019, 6, 14), scope)["clues_overdue"] == 0  # extended to 17 June
    assert figures(D(2019, 6, 18), scope)["clues_overdue"] == 1
