"""Words for targets, and the drive report (专项行动情况报告, .docx in the official format):
what was done in the drive's period, from the clues and cases tagged to it, against its
targets. The same sentences describe a target at risk in the briefing's 存在问题."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from saohei.cases.choices import GANG_KINDS, Stage
from saohei.clues.asof import end_of_day
from saohei.clues.choices import Status
from saohei.core.dates import cn_date
from saohei.orgs.models import Jurisdiction, Unit
from saohei.reports.documents import (
    Block,
    area_of,
    check,
    decimal_text,
    listing,
    numbered,
    percent,
    write_document,
)
from saohei.reports.figures import Scope, cases_as_of, clues_as_of

from .measures import Measure, read
from .progress import Progress, progress

MEASURE_WORDS = {
    Measure.OLD_OPEN_CLUES: "超过{days}天未办结线索",
    Measure.OPEN_CLUES: "未办结{categories}线索",
    Measure.OVERDUE_CLUES: "超期未办结线索",
    Measure.OPEN_GANG_CASES: "未办结涉黑涉恶案件",
    Measure.CONCLUSION_RATE: "线索办结率",
    Measure.CASE_CLOSURE_RATE: "案件办结率",
}
UNITS = {Measure.OPEN_GANG_CASES: "起"}


def measure_words(target) -> str:
    from saohei.clues.choices import Category

    names = dict(Category.choices)
    categories = "、".join(str(names.get(c, c)) for c in target.categories or [])
    return MEASURE_WORDS[target.measure].format(days=target.days or 0, categories=categories)


def value_text(target, value) -> str:
    """12件 / 3起 / 85.3% / —"""
    if value is None:
        return "—"
    if target.is_rate:
        return percent(value)
    return f"{value}{UNITS.get(target.measure, '件')}"


def goal_text(target) -> str:
    goal = target.goal_value()
    if target.is_rate:
        return f"达到{percent(goal)}"
    return (
        "清零" if goal == 0 else f"降至{decimal_text(target.goal)}{UNITS.get(target.measure, '件')}"
    )


def remaining_text(p: Progress) -> str:
    """What is still to do: 12件 / 3.5个百分点 / "" when met."""
    if p.met or p.remaining is None:
        return ""
    if p.target.is_rate:
        return f"{decimal_text(p.remaining)}个百分点"
    return f"{p.remaining}{UNITS.get(p.target.measure, '件')}"


def pace_text(target, pace: float | None) -> str:
    """The change over 30 days at the current pace: −12件 / +3.5个百分点."""
    if pace is None:
        return "—"
    step = pace * 30
    if target.is_rate:
        return f"{step * 100:+.1f}个百分点"
    text = f"{step:+.1f}".rstrip("0").rstrip(".") if abs(step) < 10 else f"{step:+.0f}"
    return f"{'±0' if text in ('+0', '-0') else text}{UNITS.get(target.measure, '件')}"


def risk_sentence(p: Progress, unit_names: dict) -> str:
    """“积案清零”目标要求2027年3月1日前超过60天未办结线索清零，截至…尚有12件（公安局5件…），
    按近期进度预计2027年5月3日完成，将逾期。"""
    t = p.target
    text = (
        f"“{t.name}”目标要求{cn_date(t.deadline)}前{measure_words(t)}{goal_text(t)}，"
        f"截至{cn_date(p.today.day)}为{value_text(t, p.today.value)}"
    )
    holders = _holders(p, unit_names)
    if holders:
        text += f"（{listing(holders)}）"
    if p.today.day > t.deadline:
        text += "，已超过期限仍未完成。"
    elif p.projected is None:
        text += "，按近期进度无法如期完成。"
    else:
        text += f"，按近期进度预计{cn_date(p.projected)}才能完成，晚于期限。"
    return text


def _holders(p: Progress, unit_names: dict, limit: int = 5) -> list[str]:
    if p.target.is_rate:
        return []
    ranked = sorted(p.today.by_unit.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [f"{unit_names.get(u, '待分流')}{value_text(p.target, n)}" for u, n in ranked[:limit]]


def targets_behind(as_of: datetime.date, jurisdiction_ids) -> str:
    """For the briefing's 存在问题: each running target that will miss its deadline at the
    current pace, in a sentence with its numbers; "" when none."""
    from .models import Target
    from .progress import at_risk

    targets = Target.objects.filter(
        jurisdiction_id__in=jurisdiction_ids, start__lte=as_of, created_at__lt=end_of_day(as_of)
    ).prefetch_related("units", "drive__units")
    behind = at_risk(targets, as_of)
    if not behind:
        return ""
    names = unit_names({u for p in behind for u in p.today.by_unit})
    return "".join(risk_sentence(p, names) for p in behind)


def unit_names(unit_ids) -> dict:
    return {
        u.pk: u.short_name or u.name for u in Unit.objects.filter(pk__in=[i for i in unit_ids if i])
    }


# The drive report ------------------------------------------------------------------------------


def drive_blocks(drive, today: datetime.date | None = None) -> list[Block]:
    today = today or timezone.localdate()
    end = min(drive.end, today)
    jurisdiction = Jurisdiction.objects.get(pk=drive.jurisdiction_id)
    area = area_of(Scope.everything([drive.jurisdiction_id]), jurisdiction)
    units = [u.short_name or u.name for u in drive.units.all()]
    blocks = [Block("title", f"关于{drive.name}开展情况的报告")]

    period = f"{cn_date(drive.start)}至{cn_date(drive.end)}"
    text = f"按照工作部署，{area.whole}于{period}开展{drive.name}"
    if units:
        text += f"，{listing(units)}" + (f"等{len(units)}家单位参与" if len(units) > 1 else "参与")
    text += "。"
    if drive.theme.strip():
        text += drive.theme.strip().rstrip("。") + "。"
    if end < drive.end:
        text += f"现将截至{cn_date(end)}的开展情况报告如下。"
    else:
        text += "现将开展情况报告如下。"
    blocks.append(Block("body", text))

    blocks.append(Block("h1", "工作成效"))
    blocks.append(Block("body", _work_done(drive, end)))

    blocks.append(Block("h1", "目标完成情况"))
    targets = list(drive.targets.prefetch_related("units"))
    if not targets:
        blocks.append(Block("body", "本次专项行动未设定量化目标。"))
    else:
        rows, behind = [], []
        done = [(t, progress(t, end)) for t in targets]
        names = unit_names({u for _t, p in done for u in p.today.by_unit})
        for target, p in done:
            start_value = read(target, max(target.start, drive.start)).value
            state = "已完成" if p.met else ("滞后" if p.will_miss else "按进度推进")
            rows.append(
                [
                    target.name,
                    goal_text(target) + f"\n{cn_date(target.deadline)}前",
                    value_text(target, start_value),
                    value_text(target, p.today.value),
                    state,
                ]
            )
            if p.will_miss:
                behind.append(risk_sentence(p, names))
        met = sum(1 for r in rows if r[4] == "已完成")
        blocks.append(
            Block(
                "body",
                f"本次专项行动设定目标{len(rows)}项，截至{cn_date(end)}已完成{met}项。",
            )
        )
        blocks.append(Block("caption", "目标完成情况表"))
        blocks.append(
            Block(
                "table",
                data=[["目标", "要求", "开始时", "截至目前", "完成情况"], *rows],
                widths=[40, 36, 26, 26, 28],
            )
        )
        if behind:
            blocks.append(Block("h1", "存在问题"))
            blocks += [Block("body", text) for text in behind]
    blocks.append(Block("signature", area.issuer, data=[cn_date(today)]))
    return numbered(blocks)


def _work_done(drive, end: datetime.date) -> str:
    scope = Scope.everything([drive.jurisdiction_id])
    in_period = Q(received_on__gte=drive.start, received_on__lte=end)
    clues = clues_as_of(scope.clues.filter(pk__in=drive.clues.values("pk")), end)
    received = clues.filter(in_period).count()
    tagged = clues.count()
    done = clues.filter(status_then__in=(Status.CONCLUDED, Status.INTERIM)).count()
    cases = cases_as_of(scope.cases.filter(pk__in=drive.cases.values("pk")), end)
    opened = cases.filter(opened_on__gte=drive.start).count()
    gang = cases.filter(kind__in=GANG_KINDS).count()
    closed = cases.filter(stage_then=Stage.CLOSED).count()
    if not tagged and not cases.count() and not drive.publicity.exists():
        return "尚未有线索、案件或宣传活动列入本次专项行动。"
    text = f"列入本次专项行动的线索{tagged}件，其中行动期间受理{received}件；已办结{done}件"
    if tagged:
        text += f"，办结率{percent(done / tagged)}"
    text += f"。列入的案件{cases.count()}起，其中行动期间立案{opened}起"
    if gang:
        text += f"，涉黑涉恶案件{gang}起"
    text += f"；已办结{closed}起。"
    held = drive.publicity.filter(held_on__gte=drive.start, held_on__lte=end)
    if held.exists():
        from saohei.oversight.choices import KIND_MEASURES, PublicityKind

        names = dict(PublicityKind.choices)
        kinds = {}
        for kind, quantity in held.values_list("kind", "quantity"):
            kinds[kind] = kinds.get(kind, 0) + quantity
        done = listing([f"{names[k]}{n}{KIND_MEASURES.get(k, '')}" for k, n in kinds.items()])
        text += f"开展宣传活动{held.count()}次（{done}）。"
    return text


def write_drive_report(drive, fh, today: datetime.date | None = None) -> None:
    blocks = drive_blocks(drive, today)
    check(blocks, "drive report")
    write_document(blocks, fh, title=blocks[0].text, author=area_of_issuer(blocks))


def area_of_issuer(blocks: list[Block]) -> str:
    return next((b.text for b in blocks if b.kind == "signature"), "")
