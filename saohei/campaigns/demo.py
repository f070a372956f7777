"""Demo targets, a drive and the register, shaped like the briefing (DESIGN §0): its next steps
set clear-to-zero targets for the backlog (黑恶积案清零、问题线索清零) and a hundred-day drive;
it counts 14 rules and mechanisms set up by the district and faults units for meetings held
without records."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.orgs.models import Unit, User

from .measures import Measure
from .models import Drive, Meeting, Regulation, Target

# (title, kind, issuing unit, issued on); the 14 the briefing counts are those in force.
REGULATIONS = [
    ("北湖区扫黑除恶专项斗争线索移交工作制度", "rule", "区扫黑办", (2018, 3, 12)),
    ("北湖区涉黑涉恶线索核查督办机制", "mechanism", "区扫黑办", (2018, 3, 20)),
    ("北湖区扫黑除恶领导小组办公室例会制度", "rule", "区扫黑办", (2018, 3, 26)),
    ("涉黑涉恶案件“一案三查”工作机制", "mechanism", "区纪委监委", (2018, 4, 10)),
    ("扫黑除恶专项斗争信息报送制度", "rule", "区扫黑办", (2018, 4, 18)),
    ("涉黑涉恶线索双向移送机制", "mechanism", "区纪委监委", (2018, 5, 7)),
    ("扫黑除恶举报奖励办法", "rule", "区扫黑办", (2018, 5, 21)),
    ("公检法联席会议制度", "rule", "区检察院", (2018, 6, 4)),
    ("涉黑涉恶案件提前介入机制", "mechanism", "区检察院", (2018, 6, 15)),
    ("行业乱象整治线索移交办法", "rule", "区市场监管局", (2018, 8, 1)),
    ("扫黑除恶专项斗争督导检查制度", "rule", "区扫黑办", (2018, 9, 3)),
    ("油区治安综合整治协作机制", "mechanism", "油田分局", (2018, 10, 15)),
    ("涉黑涉恶财产查控处置机制", "mechanism", "区法院", (2019, 1, 8)),
    ("扫黑除恶专项斗争考核评价办法", "rule", "区扫黑办", (2019, 3, 1)),
    ("扫黑除恶线索登记暂行办法", "rule", "区扫黑办", (2018, 2, 26)),  # replaced below
]
# (kind, unit, held on, topics, with record)
MEETINGS = [
    ("leading_group", "区扫黑办", (2018, 3, 8), "部署全区扫黑除恶专项斗争", True),
    ("leading_group", "区扫黑办", (2018, 7, 12), "半年工作推进，研究线索核查问题", True),
    ("leading_group", "区扫黑办", (2019, 1, 10), "年度总结，部署“深挖根治”年工作", True),
    ("leading_group", "区扫黑办", (2019, 6, 28), "迎接中央督导“回头看”准备工作", True),
    ("study", "北湖分局", (2019, 4, 15), "学习“两高两部”关于办理恶势力刑事案件的意见", True),
    ("study", "区检察院", (2019, 4, 18), "学习“两高两部”关于办理恶势力刑事案件的意见", True),
    ("unit", "区住建局", (2019, 5, 6), "部署建筑行业乱象整治", False),
    ("unit", "长青镇", (2019, 5, 20), "传达区扫黑办例会精神", False),
    ("unit", "区市场监管局", (2019, 3, 22), "研究行业乱象线索移交", True),
]


def seed(rng: random.Random, scale: int = 1) -> dict:
    if Target.objects.exists() or Regulation.objects.exists():
        return {"targets": 0}
    units = {u.short_name: u for u in Unit.objects.exclude(short_name="")}
    office_user = User.objects.filter(username="office_staff").first()
    office = units.get("区扫黑办")
    if office is None:
        return {"targets": 0}
    district = office.jurisdiction_id
    today = timezone.localdate()

    # The next steps' clear-to-zero targets, set two months ago, due three months ahead.
    Target.objects.create(
        name="问题线索清零",
        measure=Measure.OLD_OPEN_CLUES,
        days=60,
        goal=0,
        start=today - datetime.timedelta(days=60),
        deadline=today + datetime.timedelta(days=90),
        jurisdiction_id=district,
        created_by=office_user,
    )
    Target.objects.create(
        name="黑恶积案清零",
        measure=Measure.OPEN_GANG_CASES,
        goal=0,
        start=today - datetime.timedelta(days=60),
        deadline=today + datetime.timedelta(days=120),
        jurisdiction_id=district,
        created_by=office_user,
    )
    rate = Target.objects.create(
        name="线索办结率达到95%",
        measure=Measure.CONCLUSION_RATE,
        goal=95,
        start=today - datetime.timedelta(days=90),
        deadline=today + datetime.timedelta(days=60),
        jurisdiction_id=district,
        created_by=office_user,
    )
    rate.units.set([units["北湖分局"], units["油田分局"]])

    # The hundred-day drive on oil-field crime, with the oil clues and cases tagged to it.
    drive = Drive.objects.create(
        name="油区治安百日攻坚专项行动",
        theme="严厉打击盗采原油、破坏油田生产设施等违法犯罪，深挖油区黑恶势力及其“保护伞”",
        start=today - datetime.timedelta(days=40),
        end=today + datetime.timedelta(days=60),
        jurisdiction_id=district,
    )
    drive.units.set([units[n] for n in ("油田分局", "油田街道", "区检察院") if n in units])
    drive.cases.set(Case.objects.filter(is_oil=True))
    drive.clues.set(
        Clue.objects.filter(summary__contains="原油") | Clue.objects.filter(place__contains="采油")
    )
    Target.objects.create(
        name="涉油线索清零",
        measure=Measure.OPEN_CLUES,
        goal=0,
        start=drive.start,
        deadline=drive.end,
        jurisdiction_id=district,
        drive=drive,
        created_by=office_user,
    )

    made = {}
    for title, kind, unit, day in REGULATIONS:
        made[title] = Regulation.objects.create(
            title=title,
            kind=kind,
            unit=units[unit],
            issued_on=datetime.date(*day),
            jurisdiction_id=district,
        )
    old = made["扫黑除恶线索登记暂行办法"]
    old.state = Regulation.State.REPLACED
    old.replaced_by = made["北湖区扫黑除恶专项斗争线索移交工作制度"]
    old.save()
    for kind, unit, day, topics, recorded in MEETINGS:
        Meeting.objects.create(
            kind=kind,
            unit=units[unit],
            held_on=datetime.date(*day),
            attendees="领导小组成员单位负责同志" if kind == "leading_group" else "班子成员",
            topics=topics,
            minutes=f"会议{topics}，明确了责任分工和完成时限。" if recorded else "",
            jurisdiction_id=district,
        )
    return {"targets": 4, "drives": 1, "regulations": len(made), "meetings": len(MEETINGS)}
