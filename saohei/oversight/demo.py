"""Demo oversight data shaped like the briefing (DESIGN §0): 1.31 million yuan (131万元) of
special funds allocated, a reward paid for a report, publicity of several kinds (one banner
with the wrong slogan 打黑除恶, one poster without the reporting phone), the new judicial
interpretation on 套路贷 trained on by the police and judicial bodies but not by the
regulators and towns, and the assessment of the first half of 2019: a town office staffed by
2 people (1 full-time, 1 part-time), regulators with part-time staff only, few units with the
campaign in their plans or meeting records, and most units handing over no clue."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from saohei.clues.choices import Finding, RewardStatus
from saohei.clues.models import Clue, Reward
from saohei.orgs.models import Unit, User

from .defaults import ensure_defaults
from .models import (
    AssessmentAnswer,
    AssessmentItem,
    AssessmentPeriod,
    FundAllocation,
    FundSpending,
    PublicityActivity,
    TrainingSession,
    TrainingTopic,
)
from .publicity import wording_findings

D = datetime.date

# unit short name, day, amount (yuan), source, document: 131万元 in all
ALLOCATIONS = [
    ("区扫黑办", D(2018, 3, 1), 500_000, "区财政", "北财预〔2018〕12号"),
    ("区扫黑办", D(2019, 1, 15), 300_000, "区财政", "北财预〔2019〕5号"),
    ("北湖分局", D(2018, 4, 10), 150_000, "区财政", "北财预〔2018〕20号"),
    ("油田分局", D(2018, 4, 10), 150_000, "区财政", "北财预〔2018〕20号"),
    ("区纪委监委", D(2018, 5, 8), 60_000, "区财政", "北财预〔2018〕26号"),
    ("北湖街道", D(2018, 6, 1), 30_000, "区财政", "北财预〔2018〕31号"),
    ("龙湖街道", D(2018, 6, 1), 30_000, "区财政", "北财预〔2018〕31号"),
    ("油田街道", D(2018, 6, 1), 30_000, "区财政", "北财预〔2018〕31号"),
    ("长青镇", D(2018, 6, 1), 30_000, "区财政", "北财预〔2018〕31号"),
    ("新兴镇", D(2018, 6, 1), 30_000, "区财政", "北财预〔2018〕31号"),
]
# unit, day, amount, purpose, note
SPENDING = [
    ("区扫黑办", D(2018, 5, 20), 86_000, "publicity", "宣传品制作（条幅、手册、海报）"),
    ("区扫黑办", D(2018, 9, 12), 42_000, "training", "成员单位业务培训"),
    ("区扫黑办", D(2019, 3, 5), 120_000, "publicity", "扫黑除恶专项斗争文艺汇演"),
    ("区扫黑办", D(2019, 4, 18), 35_000, "equipment", "办公设备"),
    ("北湖分局", D(2018, 8, 2), 64_000, "cases", "专案侦办差旅"),
    ("油田分局", D(2019, 2, 26), 98_000, "cases", "涉油案件专案经费"),
    ("区纪委监委", D(2019, 5, 10), 18_000, "verification", "问题线索核查"),
    ("长青镇", D(2018, 11, 6), 12_000, "publicity", "村屯宣传条幅"),
]

CORRECT = "全面贯彻落实中央关于扫黑除恶专项斗争的决策部署。举报电话：0459-6123456。"
# unit, day, kind, quantity, outlet, media reports, title, text
PUBLICITY = [
    ("区扫黑办", D(2018, 4, 2), "banner", 120, "主要街道", 1, "街道条幅", CORRECT),
    ("区扫黑办", D(2018, 5, 20), "brochure", 30_000, "各社区", 2, "应知应会手册", CORRECT),
    ("区扫黑办", D(2018, 5, 20), "poster", 5_000, "公交站、小区", 0, "宣传海报", CORRECT),
    (
        "区扫黑办",
        D(2018, 10, 9),
        "leaflet",
        80_000,
        "入户发放",
        0,
        "致广大群众的一封信",
        "致广大群众的一封信：欢迎群众积极举报黑恶势力违法犯罪线索。举报电话：0459-6123456。",
    ),
    ("区扫黑办", D(2019, 3, 5), "performance", 2, "区文化中心", 3, "专项斗争文艺汇演", ""),
    ("区扫黑办", D(2019, 4, 12), "comic", 40, "微信公众号", 1, "系列漫画", CORRECT),
    ("区扫黑办", D(2019, 5, 16), "new_media", 65, "微信公众号、抖音", 6, "新媒体推送", CORRECT),
    ("区扫黑办", D(2019, 6, 6), "case_talk", 4, "各街道", 2, "典型案例宣讲", ""),
    # The briefing's complaints: a banner with the wrong slogan, a poster without the phone.
    (
        "长青镇",
        D(2019, 3, 20),
        "banner",
        30,
        "长青镇各村",
        0,
        "村屯条幅",
        "坚决打赢打黑除恶专项斗争。举报电话：0459-6123456。",
    ),
    (
        "北湖街道",
        D(2019, 4, 8),
        "poster",
        200,
        "社区公告栏",
        0,
        "社区宣传海报",
        "扫黑除恶 人人有责\n宣传扫黑除恶专项斗争，营造良好氛围",
    ),
    ("北湖分局", D(2019, 5, 28), "case_talk", 3, "辖区学校", 1, "以案说法进校园", ""),
    (
        "区市场监管局",
        D(2019, 6, 12),
        "leaflet",
        3_000,
        "农贸市场",
        0,
        "行业乱象整治告知书",
        "行业乱象整治告知书：发现欺行霸市等行为请拨打举报电话12345。",
    ),
]

TAOLUDAI = "关于办理“套路贷”刑事案件若干问题的意见"
# unit, day, topic (or None), title, attendees
TRAINING = [
    ("北湖分局", D(2019, 5, 10), TAOLUDAI, "“套路贷”司法解释专题培训", 46),
    ("油田分局", D(2019, 5, 24), TAOLUDAI, "“套路贷”司法解释专题培训", 31),
    ("区检察院", D(2019, 6, 18), TAOLUDAI, "“套路贷”案件审查要点学习", 22),
    ("区法院", D(2019, 8, 15), TAOLUDAI, "“套路贷”案件审判实务", 18),  # late: after 30 June
    ("区纪委监委", D(2019, 4, 25), None, "以案促改警示教育", 35),
    ("区扫黑办", D(2019, 3, 14), None, "成员单位联络员业务培训", 40),
]

# Assessment answers for 2019年上半年: unit: {item code: done} and staff (full, part).
DONE_BY = {
    "北湖分局": ["plan", "leadership", "meetings", "study", "fund_ledger"],
    "油田分局": ["plan", "leadership", "meetings", "study", "fund_ledger"],
    "区检察院": ["plan", "leadership", "study"],
    "区法院": ["plan", "leadership"],
    "区纪委监委": ["plan", "leadership", "meetings"],
    "长青镇": ["leadership"],
    "区市场监管局": ["plan"],
}
STAFF = {
    "北湖分局": (3, 2),
    "油田分局": (2, 2),
    "区检察院": (1, 1),
    "区纪委监委": (1, 3),
    "长青镇": (1, 1),  # the town office of the briefing: 2 people, 1 of them full-time
    "北湖街道": (0, 1),
    "区市场监管局": (0, 1),  # regulators without full-time staff
    "区交通运输局": (0, 1),
}


def seed(rng: random.Random, scale: int = 1) -> dict:
    if AssessmentPeriod.objects.exists():
        return {"oversight": 0}
    ensure_defaults()
    units = {u.short_name: u for u in Unit.objects.exclude(short_name="")}
    head = User.objects.get(username="office_head")
    staff = User.objects.get(username="office_staff")
    recorder = {u: (User.objects.filter(unit=unit).order_by("pk").first() or staff)
                for u, unit in units.items()}  # fmt: skip

    FundAllocation.objects.bulk_create(
        FundAllocation(
            unit=units[u],
            allocated_on=day,
            amount=Decimal(amount),
            source=source,
            document=doc,
            recorded_by=staff,
        )  # fmt: skip
        for u, day, amount, source, doc in ALLOCATIONS
    )
    FundSpending.objects.bulk_create(
        FundSpending(
            unit=units[u],
            spent_on=day,
            amount=Decimal(amount),
            purpose=purpose,
            note=note,
            recorded_by=recorder[u],
        )  # fmt: skip
        for u, day, amount, purpose, note in SPENDING
    )
    _reward(staff, head)

    activities = []
    for _rep in range(scale):
        for u, day, kind, quantity, outlet, media, title, text in PUBLICITY:
            activities.append(
                PublicityActivity(
                    unit=units[u],
                    held_on=day,
                    kind=kind,
                    quantity=quantity,
                    outlet=outlet,
                    media_reports=media,
                    title=title,
                    text=text,
                    recorded_by=recorder[u],
                    findings=wording_findings(text),
                )  # fmt: skip
            )
    PublicityActivity.objects.bulk_create(activities)

    topics = {t.name: t for t in TrainingTopic.objects.all()}
    TrainingSession.objects.bulk_create(
        TrainingSession(
            unit=units[u],
            held_on=day,
            topic=topics.get(topic) if topic else None,
            title=title,
            attendees=n,
            recorded_by=recorder[u],
        )  # fmt: skip
        for u, day, topic, title, n in TRAINING
    )

    period = AssessmentPeriod.objects.create(
        name="2019年上半年成员单位考核",
        start=D(2019, 1, 1),
        end=D(2019, 6, 30),
        jurisdiction=units["区扫黑办"].jurisdiction,
        created_by=head,
    )
    AssessmentPeriod.objects.create(
        name=f"{timezone.localdate().year}年度成员单位考核",
        start=D(timezone.localdate().year, 1, 1),
        end=D(timezone.localdate().year, 12, 31),
        jurisdiction=units["区扫黑办"].jurisdiction,
        created_by=head,
    )
    items = {i.code: i for i in AssessmentItem.objects.all()}
    answers = []
    for u, codes in DONE_BY.items():
        for code in codes:
            answers.append(
                AssessmentAnswer(
                    period=period,
                    unit=units[u],
                    item=items[code],
                    done=True,
                    note=f"{items[code].name}：见{u}2019年相关文件",
                    answered_by=recorder[u],
                )  # fmt: skip
            )
    for u, (full, part) in STAFF.items():
        answers.append(
            AssessmentAnswer(
                period=period,
                unit=units[u],
                item=items["staff"],
                done=True,
                full_time=full,
                part_time=part,
                answered_by=recorder[u],
            )  # fmt: skip
        )
    AssessmentAnswer.objects.bulk_create(answers)
    return {"allocations": len(ALLOCATIONS), "publicity": len(activities), "answers": len(answers)}


def _reward(staff, head) -> None:
    """A reward paid for a substantiated report, counted as the office's spending."""
    clue = (
        Clue.objects.filter(status="concluded", finding=Finding.SUBSTANTIATED)
        .exclude(category="umbrella")
        .order_by("received_on")
        .first()
    )
    if clue is None:
        return
    paid_on = (clue.concluded_on or D(2019, 6, 1)) + datetime.timedelta(days=20)
    Reward.objects.create(
        clue=clue,
        amount=Decimal(20_000),
        basis="举报线索经查属实，依据《举报奖励办法》给予奖励",
        status=RewardStatus.PAID,
        proposed_by=staff,
        decided_by=head,
        decided_at=timezone.now(),
        paid_on=min(paid_on, timezone.localdate()),
        payment_reference="奖字〔2019〕1号",
    )
