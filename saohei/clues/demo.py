"""Demo clue history shaped like the campaign briefing (DESIGN §0).

As of 30 June 2019 the district held 57 clues: 25 concluded, 18 concluded for the stage and
14 being verified, most of them industry disorder and few really gang-related. Work went on
afterwards (so figures as of today differ from those of the briefing date), and a batch of
recent clues gives every role something on its to-do list: clues to route, to accept, to
verify, conclusions to approve, deadlines due and passed.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from saohei.core.synthetic import chinese_name, mobile
from saohei.orgs.choices import Role
from saohei.orgs.models import Unit, User

from . import actions
from .choices import Category, Channel, Finding, Source
from .defaults import ensure_default_lists
from .models import Clue, Industry

BRIEFING_DAY = datetime.date(2019, 6, 30)
PLACES = [
    "北湖街道",
    "龙湖街道",
    "油田街道",
    "长青镇",
    "新兴镇",
    "长青镇红旗村",
    "新兴镇富民村",
    "油田街道采油三厂",
    "北湖街道农贸市场",
    "龙湖街道建材市场",
]
COMPANIES = [
    "兴达砂石有限公司",
    "鑫源小额贷款公司",
    "宏运客运公司",
    "金盛建筑工程公司",
    "顺通物流公司",
    "华鑫典当行",
]
# (category, industry, summary template, weight)
KINDS = [
    (Category.INDUSTRY_DISORDER, "自然资源", "{name}在{place}非法采砂，威胁阻拦群众举报", 8),
    (Category.INDUSTRY_DISORDER, "交通运输", "{company}垄断{place}客运线路，强迫乘客换乘", 6),
    (Category.INDUSTRY_DISORDER, "工程建设", "{name}在{place}强揽工程、阻工索要好处费", 7),
    (Category.INDUSTRY_DISORDER, "市场流通", "{name}等人欺行霸市，强迫{place}商户购货", 6),
    (Category.EVIL_FORCE, "其他", "{name}等9人在{place}寻衅滋事、殴打他人", 3),
    (Category.EVIL_FORCE, "其他", "{name}团伙在{place}敲诈勒索个体商户", 3),
    (
        Category.GANG,
        "其他",
        "{name}为首的团伙长期把持{place}承包经营，涉嫌组织领导黑社会性质组织",
        1,
    ),
    (Category.OIL, "自然资源", "{place}油井原油被盗，{name}等人涉嫌盗窃原油", 4),
    (Category.ROUTINE_LOAN, "金融放贷", "{company}以“套路贷”手段非法放贷、暴力催收", 3),
    (Category.RURAL, "其他", "{place}村霸{name}欺压群众、操纵选举", 3),
    (Category.UMBRELLA, "其他", "区法院干部{name}涉嫌为{company}充当“保护伞”", 2),
]
AGENCY_KINDS = {"police", "regulator", "township"}


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _pick_unit(rng, units, category, industry):
    if category == Category.UMBRELLA:
        return units["discipline"]
    if category in (Category.OIL,):
        return units["police_yt"]
    if category in (Category.GANG, Category.EVIL_FORCE, Category.ROUTINE_LOAN):
        return units[rng.choice(["police_bh", "police_yt"])]
    by_industry = {
        "自然资源": "reg_land",
        "交通运输": "reg_transport",
        "工程建设": "reg_housing",
        "市场流通": "reg_market",
        "金融放贷": "reg_finance",
    }
    key = by_industry.get(industry)
    return units[
        rng.choice(
            [key, "police_bh", "town_changqing"]
            if key
            else ["police_bh", "town_xinxing", "town_changqing"]
        )
    ]


# The few units that hand clues over themselves (成员单位移交): over 80% of the district's
# units hand over none, as the briefing complains. Chosen by the day, not the random
# generator, so the rest of the history stays the same.
HANDING_OVER = ["town_changqing", "reg_market", "police_yt"]


def _registrar(office, units, source, received):
    if source != Source.MEMBER_UNIT:
        return office
    unit = units[HANDING_OVER[received.toordinal() % len(HANDING_OVER)]]
    return User.objects.filter(unit=unit, groups__name=Role.HANDLER).order_by("pk").first()


def _new(rng, office, units, received, kind_weights):
    category, industry, template, _w = rng.choices(KINDS, weights=kind_weights)[0]
    name, place = chinese_name(rng), rng.choice(PLACES)
    summary = template.format(name=name, place=place, company=rng.choice(COMPANIES))
    named = rng.random() < 0.3
    source = rng.choices(
        [
            Source.PUBLIC,
            Source.SUPERIOR,
            Source.MEMBER_UNIT,
            Source.PETITION,
            Source.INSPECTION,
            Source.SELF,
        ],
        weights=[10, 4, 2, 3, 2, 1],
    )[0]
    clue = actions.register(
        _registrar(office, units, source, received),
        received_on=received,
        at=_at(received),
        source=source,
        channel=rng.choice([Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.WEB]),
        category=category,
        industry=Industry.objects.get(name=industry),
        subjects=name,
        place=place,
        summary=summary,
        full_text=summary + "。举报人反映情况属实，请求依法查处。",
        anonymous=not named,
        informant_name=chinese_name(rng) if named else "",
        informant_phone=mobile(rng) if named else "",
    )
    return clue, _pick_unit(rng, units, category, industry)


def _walk(rng, clue, unit, office, people, start, stop_at: str, end: datetime.date):
    """Move a clue from `start` through the workflow up to `stop_at`, all before `end`."""
    handler, leader = people[unit.pk]
    day = start + datetime.timedelta(days=rng.randint(1, 3))
    actions.assign(clue, office, unit, at=_at(day, 10))
    if stop_at == "assigned":
        return
    day += datetime.timedelta(days=rng.randint(1, 3))
    actions.accept(clue, handler, at=_at(day, 11))
    if stop_at == "verifying":
        return
    span = max((end - day).days - 3, 2)
    day += datetime.timedelta(days=rng.randint(1, span))
    if stop_at == "interim":
        actions.interim(
            clue, handler, result="已开展初步核查，部分事实待进一步查证", at=_at(day, 15)
        )
        return
    finding = rng.choices(
        [Finding.SUBSTANTIATED, Finding.PARTLY, Finding.UNFOUNDED], weights=[3, 3, 4]
    )[0]
    actions.request_conclusion(
        clue,
        handler,
        finding=finding,
        result={
            "substantiated": "经核查，反映问题属实，已依法处理",
            "partly": "经核查，反映问题部分属实",
            "unfounded": "经核查，反映问题不属实",
        }[finding],
        at=_at(day, 15),
    )
    if stop_at == "awaiting_approval":
        return
    actions.approve(clue, leader, at=_at(day + datetime.timedelta(days=1), 9))


def seed(rng: random.Random, scale: int = 1) -> dict:
    if Clue.objects.exists():
        return {"clues": 0}
    ensure_default_lists()
    office = User.objects.get(username="office_staff")
    units = {u: Unit.objects.get(name=n) for u, n in _unit_names().items()}
    people = {}
    for unit in units.values():
        staff = list(User.objects.filter(unit=unit, is_active=True))
        handler = next((u for u in staff if u.has_role(Role.HANDLER, Role.DISCIPLINE)), None)
        leader = next((u for u in staff if u.has_role(Role.UNIT_LEADER)), None)
        people[unit.pk] = (handler, leader or handler)
    weights = [k[3] for k in KINDS]
    # 1. The briefing: 57 clues by 30 June 2019 (× scale).
    plan = ["concluded"] * 25 + ["interim"] * 18 + ["verifying"] * 14
    created = 0
    for _rep in range(scale):
        rng.shuffle(plan)
        for stop_at in plan:
            received = datetime.date(2018, 2, 1) + datetime.timedelta(days=rng.randint(0, 480))
            clue, unit = _new(rng, office, units, received, weights)
            _leader_ok(people, unit)
            _walk(rng, clue, unit, office, people, received, stop_at, BRIEFING_DAY)
            created += 1
            # After the briefing most of the open ones were concluded, some never.
            if stop_at != "concluded" and rng.random() < 0.6:
                if stop_at == "interim":
                    actions.resume(clue, people[unit.pk][0], at=_at(datetime.date(2019, 7, 8)))
                actions.request_conclusion(
                    clue,
                    people[unit.pk][0],
                    finding=Finding.PARTLY,
                    result="专项攻坚后查结",
                    at=_at(datetime.date(2019, 9, 20)),
                )
                actions.approve(clue, people[unit.pk][1], at=_at(datetime.date(2019, 9, 23)))
    # Most named informants of the old clues were told the result; a few were forgotten.
    for clue in Clue.objects.filter(
        status="concluded", anonymous=False, received_on__year__lt=2020
    ):
        if rng.random() < 0.85:
            actions.record_informant_contact(
                clue, office, on=clue.concluded_on + datetime.timedelta(days=rng.randint(3, 25))
            )
    # 2. Recent clues, so today's to-do lists and deadlines have real content.
    today = timezone.localdate()
    recent = (
        ["received"] * 3
        + ["assigned"] * 3
        + ["verifying"] * 5
        + ["awaiting_approval"] * 2
        + ["interim"] * 1
        + ["concluded"] * 2
    )
    for stop_at in recent * scale:
        received = today - datetime.timedelta(days=rng.randint(5, 60))
        clue, unit = _new(rng, office, units, received, weights)
        if stop_at != "received":
            _walk(rng, clue, unit, office, people, received, stop_at, today)
        created += 1
    return {"clues": created}


def _leader_ok(people, unit):
    if people[unit.pk][0] is None:
        raise RuntimeError(f"demo unit {unit} has no handler")


def _unit_names():
    from saohei.orgs.demo import UNITS

    return {key: name for key, name, _short, _kind in UNITS}
