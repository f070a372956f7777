"""Demo rectification, shaped like the briefing (DESIGN §0): the city's third supervision team
fed back problems in the five categories on 10 May 2019; the district set tasks for the police,
the discipline commission, regulators, towns and the office, with deadlines in June and July.
By the briefing day (30 June 2019) some are signed off, one waits for the sign-off and several
are overdue; a follow-up review (回头看) in September reopens a task signed off too early."""

from __future__ import annotations

import datetime
import io
import random

import docx
from django.core.files.base import ContentFile
from django.utils import timezone

from saohei.core.synthetic import chinese_name
from saohei.orgs.models import Unit, User

from . import actions
from .choices import InspectionKind, ensure_default_categories
from .models import Inspection, ProblemCategory

D = datetime.date
TITLE = "市扫黑除恶专项斗争第三督导组督导反馈意见"
REVIEW_TITLE = "市扫黑除恶专项斗争第三督导组“回头看”反馈意见"
BODY = "油城市扫黑除恶专项斗争第三督导组"

# category, problem, units concerned (short names), tasks:
# (unit, measures, milestones, deadline, what happened: None | "reported" | "signed" | "late")
PROBLEMS = [
    (
        "政治站位",
        "压力传导层层递减，部分成员单位和基层派出所存在“无黑可扫”“无恶可除”的思想。",
        ["北湖分局", "油田分局", "长青镇"],
        [
            (
                "北湖分局",
                "召开党委会专题学习中央和省市部署，逐级签订目标责任书，压实派出所所长责任。",
                "5月31日前召开党委会；6月15日前签订责任书",
                D(2019, 6, 14),
                "signed",
            ),
            (
                "长青镇",
                "镇党委专题研究专项斗争，将任务分解到村，开展“无黑可扫”思想大讨论。",
                "6月底前完成",
                D(2019, 6, 28),
                "late",
            ),
        ],
    ),
    (
        "依法严惩",
        "公安机关接警量同比持平、受理案件数同比下降，涉油盗窃案件长期未破。",
        ["北湖分局", "油田分局"],
        [
            (
                "油田分局",
                "成立涉油案件专案组，对3起盗油案件挂牌攻坚，串并分析作案手段。",
                "6月20日前明确专案组；每周报进展",
                D(2019, 6, 20),
                "late",
            ),
            (
                "北湖分局",
                "梳理近三年接处警记录，对涉黑涉恶警情逐条回访核查。",
                "",
                D(2019, 7, 31),
                "reported",
            ),
        ],
    ),
    (
        "综合治理",
        "宣传标语使用“打黑除恶”旧提法，部分海报未公布举报电话；市场乱象只在督导前集中整治。",
        ["区市场监管局", "北湖街道", "区文广旅局"],
        [
            (
                "北湖街道",
                "全面排查更换错误宣传标语，所有海报补印举报电话。",
                "",
                D(2019, 6, 14),
                "signed",
            ),
            (
                "区市场监管局",
                "建立市场常态化巡查机制，每月开展联合检查并建立台账。",
                "6月底前出台机制",
                D(2019, 6, 28),
                "signed_late",
            ),
            (
                "区文广旅局",
                "对文化娱乐场所开展涉黑涉恶排查，建立行业乱象问题清单。",
                "",
                D(2019, 7, 15),
                None,
            ),
        ],
    ),
    (
        "深挖彻查",
        "纪委监委坐等线索、就案查案，对涉黑涉恶案件背后的“保护伞”深挖不够，与公安机关线索双向移送为零。",
        ["区纪委监委", "北湖分局"],
        [
            (
                "区纪委监委",
                "对已判涉黑涉恶案件逐案倒查，建立与公安机关线索双向移送和定期会商机制。",
                "6月15日前建立会商机制",
                D(2019, 6, 25),
                "late",
            ),
        ],
    ),
    (
        "组织领导",
        "部分成员单位未将专项斗争纳入年度工作计划，无会议记录、无工作台账、无经费台账；行业主管部门无专职人员，长青镇扫黑办仅2人。",
        ["区自然资源局", "区交通运输局", "长青镇", "区扫黑办"],
        [
            (
                "区自然资源局",
                "将专项斗争纳入年度工作计划，建立会议记录、工作台账和经费台账。",
                "",
                D(2019, 6, 21),
                "late",
            ),
            (
                "区交通运输局",
                "明确专职联络员，建立工作台账，按月报送工作进展。",
                "",
                D(2019, 6, 21),
                "signed",
            ),
            (
                "区扫黑办",
                "为长青镇扫黑办增配专职人员，指导各镇街配齐力量。",
                "7月底前到位",
                D(2019, 7, 31),
                None,
            ),
        ],
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _minutes(unit: str, text: str) -> ContentFile:
    """A small Word file standing for the evidence (meeting minutes, a document issued)."""
    doc = docx.Document()
    doc.add_heading(f"{unit}整改落实情况", level=1)
    doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return ContentFile(buffer.getvalue(), name=f"{unit}整改佐证材料.docx")


def _reporter(unit: Unit) -> User:
    return (
        User.objects.filter(unit=unit, groups__name__in=["handler", "discipline", "office_staff"])
        .order_by("pk")
        .first()
    )


def seed(rng: random.Random, scale: int = 1) -> dict:
    if Inspection.objects.filter(title=TITLE).exists():
        return {"rectification_tasks": 0}
    office = User.objects.filter(username="office_staff").first()
    head = User.objects.filter(username="office_head").first()
    if office is None or head is None:
        return {"rectification_tasks": 0}
    units = {u.short_name: u for u in Unit.objects.exclude(short_name="")}
    ensure_default_categories()
    categories = {c.name: c for c in ProblemCategory.objects.all()}
    inspection = actions.create_inspection(
        office, kind=InspectionKind.SUPERVISION, title=TITLE, inspecting_body=BODY,
        date=D(2019, 5, 10),
    )  # fmt: skip
    set_on = D(2019, 5, 15)
    count, signed = 0, []
    for category, text, concerned, tasks in PROBLEMS:
        problem = actions.add_problem(
            office, inspection, category=categories[category], text=text,
            units=[units[u] for u in concerned],
        )  # fmt: skip
        for unit_name, measures, milestones, deadline, outcome in tasks:
            unit = units[unit_name]
            task = actions.add_task(
                office, problem, measures=measures, responsible_unit=unit,
                responsible_person=chinese_name(rng), deadline=deadline, milestones=milestones,
                set_on=set_on,
            )  # fmt: skip
            count += 1
            reporter = _reporter(unit) or office
            first = D(2019, 5, 28) + datetime.timedelta(days=rng.randrange(0, 6))
            actions.report_progress(
                task, reporter, text="已召开专题会议研究部署，制定整改方案，明确责任人和时间节点。",
                day=first, at=_at(first),
            )  # fmt: skip
            if outcome in ("reported", "signed", "signed_late"):
                done = deadline - datetime.timedelta(days=rng.randrange(2, 6))
                if outcome == "signed_late":
                    done = deadline + datetime.timedelta(days=5)
                actions.report_progress(
                    task, reporter, text="整改措施已全部落实，相关制度文件和会议纪要附后。",
                    files=[_minutes(unit_name, measures)], done=True, day=done, at=_at(done),
                )  # fmt: skip
                if outcome != "reported":
                    actions.sign_off(
                        task, head, note="经查阅佐证材料并实地抽查，整改到位，同意销号。",
                        evidence_checked=True, at=_at(done + datetime.timedelta(days=1), 15),
                    )  # fmt: skip
                    signed.append(task)
    # The follow-up review finds the wrong slogans back in one street: the task reopens.
    review = actions.create_inspection(
        office, kind=InspectionKind.FOLLOW_UP, title=REVIEW_TITLE, inspecting_body=BODY,
        date=D(2019, 9, 10), follows=inspection,
    )  # fmt: skip
    street = next(t for t in signed if t.responsible_unit.short_name == "北湖街道")
    actions.reopen(
        street, head, reason="回头看发现辖区内仍有2处宣传标语使用“打黑除恶”旧提法。",
        deadline=D(2019, 9, 30), review=review, at=_at(D(2019, 9, 12)),
    )  # fmt: skip
    return {"rectification_tasks": count}
