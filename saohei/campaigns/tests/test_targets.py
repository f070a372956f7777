"""Targets on a hand-built history: each measure for several days (and agreeing with the
figures), the projection, the flags, and what a unit's concluding a clue does to them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from saohei.cases import actions as cases
from saohei.clues import actions as clues
from saohei.clues.choices import Category, Finding, Source
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.figures import Scope, figures

from ..measures import Measure, drill_down, read
from ..models import Target
from ..progress import path_days, progress
from ..report import risk_sentence, unit_names

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def history(personas, units):
    """Five clues and two gang cases of the first district, dated in 2019:
    C1 received 1 Mar, routed to the police 4 Mar (deadline 3 Apr), concluded 1 Jun.
    C2 received 5 Mar (industry disorder), routed to the police, concluded for the stage 1 May.
    C3 received 10 Mar, routed to the regulator 11 Mar (deadline 20 Mar), still verified.
    C4 received 1 Jun, awaiting routing.
    C5 received 1 Apr, merged into C1 on 2 Apr (never counted).
    Case K1 (gang) opened 1 Mar, closed 1 Jul; K2 (gang) opened 1 May, open."""
    office, police, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    regulator_unit = units[UnitKind.REGULATOR]
    from conftest import make_user

    regulator = make_user("reg", Role.HANDLER, unit=regulator_unit)
    regulator_leader = make_user("regl", Role.UNIT_LEADER, unit=regulator_unit)

    def clue(day, **kw):
        return clues.register(
            office,
            received_on=day,
            at=at(day),
            source=Source.PUBLIC,
            category=kw.pop("category", Category.EVIL_FORCE),
            subjects=kw.pop("subjects", "张三"),
            summary="强迫交易",
        )

    c1 = clue(D(2019, 3, 1), subjects="甲")
    clues.assign(c1, office, police.unit, deadline=D(2019, 4, 3), at=at(D(2019, 3, 4)))
    clues.accept(c1, police, at=at(D(2019, 3, 5)))
    clues.request_conclusion(
        c1, police, finding=Finding.SUBSTANTIATED, result="查实", at=at(D(2019, 6, 1))
    )
    clues.approve(c1, leader, at=at(D(2019, 6, 1), 15))
    c2 = clue(D(2019, 3, 5), subjects="乙", category=Category.INDUSTRY_DISORDER)
    clues.assign(c2, office, police.unit, deadline=D(2019, 6, 30), at=at(D(2019, 3, 6)))
    clues.accept(c2, police, at=at(D(2019, 3, 7)))
    clues.interim(c2, police, result="阶段性查结", at=at(D(2019, 5, 1)))
    c3 = clue(D(2019, 3, 10), subjects="丙")
    clues.assign(c3, office, regulator_unit, deadline=D(2019, 3, 20), at=at(D(2019, 3, 11)))
    clues.accept(c3, regulator, at=at(D(2019, 3, 12)))
    clue(D(2019, 6, 1), subjects="丁")
    c5 = clue(D(2019, 4, 1), subjects="甲")
    clues.merge(c5, office, into=c1, at=at(D(2019, 4, 2)))

    k1 = cases.open_case(
        police, name="甲涉黑案", kind="gang_org", opened_on=D(2019, 3, 1), at=at(D(2019, 3, 1))
    )
    cases.open_case(
        police, name="乙恶势力案", kind="evil_group", opened_on=D(2019, 5, 1), at=at(D(2019, 5, 1))
    )
    for check in k1.checks.all():
        user = police if check.responsible_unit_id == police.unit_id else personas[Role.DISCIPLINE]
        cases.record_check(check, user, status="done", result="已查", on=D(2019, 6, 15))
    cases.move(k1, "close", police, closing_reason="withdrawn", at=at(D(2019, 7, 1)))
    return {
        "office": office,
        "police": police,
        "leader": leader,
        "regulator": regulator,
        "regulator_leader": regulator_leader,
        "c1": c1,
        "c2": c2,
        "c3": c3,
    }


def target(units=None, **kw):
    kw.setdefault("name", "积案清零")
    kw.setdefault("goal", 0)
    kw.setdefault("start", D(2019, 3, 1))
    kw.setdefault("deadline", D(2019, 9, 30))
    t = Target.objects.create(jurisdiction_id=units[UnitKind.OFFICE].jurisdiction_id, **kw)
    return t


def test_old_open_clues_by_day_and_unit(history, units):
    t = target(units, measure=Measure.OLD_OPEN_CLUES, days=60)
    police, regulator = units[UnitKind.POLICE].pk, units[UnitKind.REGULATOR].pk
    # 1 May: C1, C2 (police) and C3 (regulator) are open, received more than 60 days before.
    # 1 May: received before 2 March, only C1 (1 March), at the police.
    r = read(t, D(2019, 5, 1))
    assert (r.value, r.by_unit) == (1, {police: 1})
    # 10 May: received before 11 March, C1 and C3; C2 was concluded for the stage on 1 May.
    r = read(t, D(2019, 5, 10))
    assert (r.value, r.by_unit) == (2, {police: 1, regulator: 1})
    # 1 June: C1 concluded; C3 still open; C4 (awaiting routing) is new.
    r = read(t, D(2019, 6, 1))
    assert (r.value, r.by_unit) == (1, {regulator: 1})
    # 1 August: C4 (received 1 June) is now older than 60 days and held by nobody.
    r = read(t, D(2019, 8, 1))
    assert (r.value, r.by_unit) == (2, {regulator: 1, None: 1})


def test_open_clues_of_categories_and_units(history, units):
    police = units[UnitKind.POLICE]
    t = target(units, measure=Measure.OPEN_CLUES, categories=[Category.INDUSTRY_DISORDER])
    assert read(t, D(2019, 4, 30)).value == 1  # C2
    assert read(t, D(2019, 5, 1)).value == 0  # concluded for the stage
    everything = target(units, name="全部", measure=Measure.OPEN_CLUES)
    assert read(everything, D(2019, 4, 30)).value == 3
    scoped = target(units, name="公安", measure=Measure.OPEN_CLUES)
    scoped.units.set([police])
    assert read(scoped, D(2019, 4, 30)).by_unit == {police.pk: 2}


def test_overdue_and_gang_cases_agree_with_the_figures(history, units):
    overdue = target(units, measure=Measure.OVERDUE_CLUES)
    gang = target(units, name="黑恶积案清零", measure=Measure.OPEN_GANG_CASES)
    scope = Scope.everything([units[UnitKind.OFFICE].jurisdiction_id])
    for day in (D(2019, 3, 15), D(2019, 4, 10), D(2019, 5, 15), D(2019, 7, 2)):
        assert read(overdue, day).value == figures(day, scope)["clues_overdue"], day
        assert (
            read(gang, day).value
            == {
                D(2019, 3, 15): 1,
                D(2019, 4, 10): 1,
                D(2019, 5, 15): 2,
                D(2019, 7, 2): 1,
            }[day]
        )
    # C3's deadline (20 March) passed; C1's (3 April) too until it was concluded on 1 June.
    regulator, police = units[UnitKind.REGULATOR].pk, units[UnitKind.POLICE].pk
    assert read(overdue, D(2019, 4, 10)).by_unit == {regulator: 1, police: 1}
    assert read(overdue, D(2019, 6, 2)).by_unit == {regulator: 1}


def test_rates_agree_with_the_figures(history, units):
    conclusion = target(units, measure=Measure.CONCLUSION_RATE, goal=90)
    closure = target(units, name="办结率", measure=Measure.CASE_CLOSURE_RATE, goal=80)
    scope = Scope.everything([units[UnitKind.OFFICE].jurisdiction_id])
    for day in (D(2019, 3, 15), D(2019, 5, 15), D(2019, 6, 15), D(2019, 7, 2)):
        f = figures(day, scope)
        assert read(conclusion, day).value == f["conclusion_rate"], day
        assert read(closure, day).value == f["case_closure_rate"], day
    assert read(conclusion, D(2019, 6, 15)).value == pytest.approx(2 / 4)  # C1, C2 of 4


def test_path_days_cover_start_and_today():
    days = path_days(D(2019, 3, 1), D(2019, 9, 1))
    assert days[0] == D(2019, 3, 1) and days[-1] == D(2019, 9, 1)
    assert len(days) <= 16
    assert path_days(D(2019, 3, 1), D(2019, 3, 1)) == [D(2019, 3, 1)]


def test_projection_and_flags(history, units):
    office, police, leader = history["office"], history["police"], history["leader"]
    t = target(units, measure=Measure.OPEN_CLUES, start=D(2019, 3, 1), deadline=D(2019, 7, 31))
    # 20 June: C2 (done for the stage) is not open; C3 and C4 are: 2 left, and the count
    # has not come down in the last 30 days (C4 arrived): no date at this pace.
    p = progress(t, D(2019, 6, 20))
    assert (p.today.value, p.met, p.projected) == (2, False, None)
    assert p.will_miss
    # Work goes on: C4 routed and both concluded by 10 July, one clue every ten days.
    c4 = history["c3"].__class__.objects.get(subjects="丁")
    clues.assign(c4, office, police.unit, at=at(D(2019, 6, 25)))
    clues.accept(c4, police, at=at(D(2019, 6, 26)))
    clues.request_conclusion(
        c4, police, finding=Finding.UNFOUNDED, result="查否", at=at(D(2019, 7, 1))
    )
    clues.approve(c4, leader, at=at(D(2019, 7, 1), 15))
    p = progress(t, D(2019, 7, 5))
    assert p.today.value == 1 and p.pace < 0
    assert p.projected is not None and p.projected > D(2019, 7, 5)
    assert p.will_miss == (p.projected > D(2019, 7, 31))
    # A past day's progress is the same whenever it is worked out.
    again = progress(t, D(2019, 6, 20))
    assert [r.value for r in again.path][:5] == [r.value for r in progress(t, D(2019, 6, 20)).path][
        :5
    ]


def test_met_target_is_not_flagged(history, units):
    t = target(units, measure=Measure.OPEN_CLUES, categories=[Category.INDUSTRY_DISORDER])
    p = progress(t, D(2019, 5, 10))
    assert p.met and not p.will_miss and p.projected is None


def test_risk_sentence_names_the_units(history, units):
    t = target(units, name="线索清零", measure=Measure.OPEN_CLUES, deadline=D(2019, 6, 30))
    p = progress(t, D(2019, 6, 20))
    text = risk_sentence(p, unit_names(p.today.by_unit))
    assert text.startswith(
        "“线索清零”目标要求2019年6月30日前未办结线索清零，截至2019年6月20日为2件"
    )
    assert "待分流1件" in text and "无法如期完成" in text


def test_concluding_a_clue_moves_the_page(client, history, units):
    """As a user: the page shows today's count and the unit holding it; the unit concludes
    the clue and the count goes down."""
    office, regulator = history["office"], history["regulator"]
    today = timezone.localdate()
    t = Target.objects.create(
        name="积案清零",
        measure=Measure.OLD_OPEN_CLUES,
        days=60,
        goal=0,
        start=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=90),
        jurisdiction_id=units[UnitKind.OFFICE].jurisdiction_id,
    )
    client.force_login(office)

    def today_value():
        page = client.get(reverse("campaigns_target", args=[t.pk])).content.decode()
        return re.search(r'data-testid="today-value"><a [^>]*>([^<]*)<', page).group(1), page

    # C3 at the regulator and C4, awaiting routing since 2019, are both older than 60 days.
    value, page = today_value()
    assert value == "2件" and units[UnitKind.REGULATOR].short_name in page
    clues.request_conclusion(history["c3"], regulator, finding=Finding.UNFOUNDED, result="查否")
    clues.approve(history["c3"], history["regulator_leader"])
    assert today_value()[0] == "1件"


def test_drill_down_lists_the_counted_clues(client, history, units):
    t = target(units, measure=Measure.OLD_OPEN_CLUES, days=60)
    client.force_login(history["office"])
    day = D(2019, 5, 10)
    page = client.get(reverse("figures_clues") + "?" + drill_down(t, day)).content.decode()
    assert history["c1"].number in page and history["c3"].number in page
    assert history["c2"].number not in page  # concluded for the stage on 1 May
    regulator = units[UnitKind.REGULATOR].pk
    page = client.get(
        reverse("figures_clues") + "?" + drill_down(t, day, regulator)
    ).content.decode()
    assert history["c3"].number in page and history["c1"].number not in page


def test_target_form_refuses_bad_input(client, personas, units):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        reverse("campaigns_target_new"),
        {
            "name": "清零",
            "measure": Measure.OLD_OPEN_CLUES,
            "goal": "0",
            "start": "2019-06-30",
            "deadline": "2019-06-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Target.objects.exists()
    assert "The deadline must come after the start." in page or "期限必须晚于开始日期" in page
    response = client.post(
        reverse("campaigns_target_new"),
        {
            "name": "办结率",
            "measure": Measure.CONCLUSION_RATE,
            "goal": "150",
            "start": "2019-06-01",
            "deadline": "2019-12-31",
        },
    )
    assert response.status_code == 200 and not Target.objects.exists()
    response = client.post(
        reverse("campaigns_target_new"),
        {
            "name": "积案清零",
            "measure": Measure.OLD_OPEN_CLUES,
            "days": "60",
            "goal": "0",
            "start": "2019-06-01",
            "deadline": "2019-12-31",
        },
    )
    t = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == t.get_absolute_url()
    assert t.jurisdiction_id == units[UnitKind.OFFICE].jurisdiction_id


def test_flags_on_the_dashboard_and_in_the_briefing(client, history, units):
    """A target behind on the day is flagged at the top of the dashboard and written into
    the briefing's 存在问题 with its numbers, with the pace of the target's own page."""
    from saohei.reports.briefing import briefing_blocks
    from saohei.reports.documents import area_of

    from ..progress import at_risk

    t = target(units, name="线索清零", measure=Measure.OPEN_CLUES, deadline=D(2019, 7, 31))
    met = target(
        units, name="行业乱象线索清零", measure=Measure.OPEN_CLUES,
        categories=[Category.INDUSTRY_DISORDER],
    )  # fmt: skip
    Target.objects.update(created_at=at(D(2019, 3, 1)))  # set before the briefing day
    day = D(2019, 6, 20)
    (flagged,) = at_risk(Target.objects.all(), day)
    full = progress(t, day)
    assert flagged.target == t and (flagged.pace, flagged.projected) == (full.pace, full.projected)

    client.force_login(history["office"])
    page = client.get(reverse("dashboard") + "?as_of=2019-06-20").content.decode()
    flags = page.split('data-testid="targets-behind"')[1].split("</div>")[0]
    assert "线索清零" in flags and met.name not in flags
    # The police see the district-wide target too, the commission's staff as well.
    client.force_login(history["police"])
    assert (
        'data-testid="targets-behind"'
        in client.get(reverse("dashboard") + "?as_of=2019-06-20").content.decode()
    )

    scope = Scope.everything([units[UnitKind.OFFICE].jurisdiction_id])
    blocks = briefing_blocks(day, scope, area_of(scope))
    texts = [b.text for b in blocks]
    (heading,) = [i for i, text in enumerate(texts) if text.endswith("目标任务推进滞后")]
    behind = texts[heading + 1]
    assert behind.startswith(
        "“线索清零”目标要求2019年7月31日前未办结线索清零，截至2019年6月20日为2件"
    )
    # A target entered after the day does not change that day's briefing.
    Target.objects.filter(pk=t.pk).update(created_at=timezone.now())
    texts = [b.text for b in briefing_blocks(day, scope, area_of(scope))]
    assert not any(text.endswith("目标任务推进滞后") for text in texts)
