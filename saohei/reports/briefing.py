"""The briefing (汇报材料, DESIGN §0 and §5): the report a district campaign office gives a
city inspection team, in the official document format of GB/T 9704-2012
(saohei.core.officialdoc), in the usual three parts:

一、基本情况   the work done, every number taken from `figures()` as of the day;
二、存在问题   only the shortfalls the figures show, each with its numbers;
三、下步工作打算 from an editable Word template (data/next_steps.docx), filled with the figures.

`briefing_document(as_of, scope, fh)` writes it; the `briefing` command and the download view
call it. Nothing is written when the text is not complete (a placeholder, *** or XX left) or
when the wording check (saohei.reports.wording) finds a wrong form of a fixed term: the
caller gets a DocumentError that lists what was found (saohei.reports.documents, which the
bulletin shares). docs/briefing.md says what each sentence counts and how to edit the
template.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter

from django.conf import settings
from django.db.models import Count, F, Min, Q, Sum
from django.utils.translation import gettext as _

from saohei.cases.choices import GANG_KINDS, AssetKind, CaseKind
from saohei.cases.models import Asset, Official, Suspect
from saohei.clues.asof import end_of_day
from saohei.core.dates import cn_date, yuan
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Jurisdiction

from .documents import (
    Area,
    Block,
    DocumentError,
    area_of,
    check,
    decimal_text,
    listing,
    numbered,
    percent,
    template_blocks,
    write_document,
)
from .figures import Scope, _dated, figures  # _dated: the dating rule of figures()

__all__ = ["DocumentError", "briefing_document", "briefing_filename"]

NEXT_STEPS_TEMPLATE = "next_steps.docx"

# The conclusion rate (查结和阶段性查结 over all clues received) the office aims at: below it,
# 存在问题 says so. settings.SAOHEI_CONCLUSION_RATE_TARGET overrides it.
CONCLUSION_RATE_TARGET = 0.9
# Industry-disorder clues above this share of all clues: 存在问题 reports low clue quality.
LOW_QUALITY_SHARE = 0.5
# Units that handed over no clue are named one by one up to this many, else counted by kind.
NAMED_UNITS = 8
# Gang cases named in 基本情况 (masked: 潘某某等9人敲诈勒索案), the first so many.
NAMED_CASES = 5

# How a document names each kind of unit (document prose, not UI text).
KIND_NAMES = {
    UnitKind.OFFICE: "扫黑办",
    UnitKind.POLICE: "公安机关",
    UnitKind.PROCURATORATE: "检察机关",
    UnitKind.COURT: "审判机关",
    UnitKind.DISCIPLINE: "纪检监察机关",
    UnitKind.REGULATOR: "行业主管部门",
    UnitKind.TOWNSHIP: "镇（街道）",
    UnitKind.OTHER: "其他单位",
}
SOURCE_NAMES = {
    "public": "群众举报",
    "superior": "上级交办",
    "member_unit": "成员单位移交",
    "petition": "信访渠道",
    "inspection": "巡察督导移交",
    "self": "自行摸排",
}
GANG_KIND_NAMES = {
    CaseKind.GANG_ORG: "黑社会性质组织",
    CaseKind.EVIL_GROUP: "恶势力犯罪集团",
    CaseKind.EVIL_GANG: "恶势力团伙",
}
STAGE_NAMES = {"investigation": "侦查", "prosecution": "审查起诉", "trial": "审判"}


def masked_case_name(name: str) -> str:
    """How a briefing names a case: the principal's given name masked, 潘洋山等9人敲诈勒索案 →
    潘某某等9人敲诈勒索案; other names as they are."""
    match = re.match(r"^([\u4e00-\u9fff]{1,4}?)(等\d+人)", name)
    if not match or match.group(1).endswith("某某"):
        return name
    return f"{match.group(1)[0]}某某{name[match.end(1) :]}"


# Figures the briefing needs that figures() does not give --------------------------------------
# Each reads through the same Scope and counts by the same definition as figures(); the tests
# check that their totals agree with it. Candidates for figures() itself.


def gang_case_names(as_of: datetime.date, scope: Scope) -> list[str]:
    """Names of the gang-type cases opened by the day (figures: gang_cases), oldest first."""
    cases = scope.cases.filter(opened_on__lte=as_of, kind__in=GANG_KINDS)
    return list(cases.order_by("opened_on", "pk").values_list("name", flat=True))


def oil_suspects(as_of: datetime.date, scope: Scope) -> int:
    """Suspects of the oil cases opened by the day (figures: oil_cases, suspects)."""
    cases = scope.cases.filter(opened_on__lte=as_of, is_oil=True).values("pk")
    return Suspect.objects.filter(case_id__in=cases, created_at__lt=end_of_day(as_of)).count()


def oil_equipment(as_of: datetime.date, scope: Scope) -> int:
    """Equipment seized in the oil cases opened by the day, dated as figures() dates assets
    (figures: equipment_seized, which counts it in all cases)."""
    cases = scope.cases.filter(opened_on__lte=as_of, is_oil=True).values("pk")
    assets = _dated(Asset.objects.filter(case_id__in=cases, kind=AssetKind.EQUIPMENT), as_of)
    return assets.aggregate(n=Sum("count"))["n"] or 0


def officials_by_employer(as_of: datetime.date, scope: Scope) -> list[tuple[str, int]]:
    """Officials investigated in umbrella cases by the day, by employer, most first
    (figures: officials_investigated)."""
    cases = scope.cases.filter(opened_on__lte=as_of).values("pk")
    rows = (
        Official.objects.filter(
            case_id__in=cases, case__kind=CaseKind.UMBRELLA, created_at__lt=end_of_day(as_of)
        )
        .values("employer")
        .annotate(n=Count("id"))
    )
    return sorted(((r["employer"], r["n"]) for r in rows), key=lambda r: (-r[1], r[0]))


def late_transfers_by_unit(
    as_of: datetime.date, scope: Scope, start: datetime.date | None = None
) -> list[tuple[str, int]]:
    """Transfers not answered by their due day, by receiving unit, most first (figures:
    transfers_late)."""
    cutoff = end_of_day(as_of)
    late = scope.transfers.filter(sent_at__lt=cutoff, answer_due__lt=as_of).filter(
        Q(answered_at__isnull=True, returned_at__isnull=True)
        | Q(answered_at__gte=cutoff)
        | Q(answered_at__date__gt=F("answer_due"))
    )
    if start is not None:
        late = late.filter(sent_at__gte=end_of_day(start - datetime.timedelta(days=1)))
    counts = Counter()
    for short, name in late.values_list("to_unit__short_name", "to_unit__name"):
        counts[short or name] += 1
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))


# Monthly indicators (publicity, police), when the indicator ledger holds any -----------------

try:  # the indicator ledger is optional: without it those sentences are left out
    from .indicators import Period, year_on_year
    from .models import Indicator, MonthlyValue
except ImportError:  # pragma: no cover
    MonthlyValue = None

PUBLICITY = (
    ("publicity_items", "发放宣传品"),
    ("media_reports", "刊发媒体报道"),
    ("publicity_events", "开展宣传活动"),
)


def last_full_month(as_of: datetime.date) -> datetime.date | None:
    """The last month that had ended by the end of `as_of` (its first day)."""
    tomorrow = as_of + datetime.timedelta(days=1)
    month = datetime.date(as_of.year, as_of.month, 1)
    if tomorrow.month != as_of.month:
        return month
    return (month - datetime.timedelta(days=1)).replace(day=1)


def indicator_values(scope: Scope):
    if MonthlyValue is None:
        return None
    return MonthlyValue.objects.filter(unit__in=scope.units.values("pk"))


def indicator_totals(as_of: datetime.date, scope: Scope, codes) -> dict:
    """For each indicator code with values held: its total from the first month held to the
    last month ended by the day ("cumulative") and the year-to-date comparison with the year
    before ("ytd", a YearOnYear). Values are as held now (corrections apply)."""
    values = indicator_values(scope)
    last = last_full_month(as_of)
    if values is None or last is None:
        return {}
    measures = dict(Indicator.objects.values_list("code", "measure"))
    out = {}
    for code in codes:
        first = values.filter(indicator__code=code, month__lte=last).aggregate(m=Min("month"))["m"]
        if first is None:
            continue
        cumulative = year_on_year(values, code, Period(first, last))
        ytd = None
        if last.year == as_of.year:
            ytd = year_on_year(values, code, Period(datetime.date(last.year, 1, 1), last))
        out[code] = {"cumulative": cumulative, "ytd": ytd, "measure": measures.get(code, "")}
    return out


def conclusion_target() -> float:
    return float(getattr(settings, "SAOHEI_CONCLUSION_RATE_TARGET", CONCLUSION_RATE_TARGET))


# The briefing ----------------------------------------------------------------------------------


def briefing_document(
    as_of: datetime.date, scope: Scope, fh, *, jurisdiction: Jurisdiction | None = None
) -> None:
    """Write the briefing as of the end of `as_of` over `scope` as .docx to the binary file
    `fh`. Raises DocumentError (and writes nothing) when it is not fit to give out."""
    area = area_of(scope, jurisdiction)
    blocks = briefing_blocks(as_of, scope, area)
    check(blocks, _("briefing"))
    buffer = io.BytesIO()
    write_document(blocks, buffer, title=blocks[0].text, author=area.issuer)
    fh.write(buffer.getvalue())


def briefing_filename(as_of: datetime.date, area: Area | None = None) -> str:
    name = area.name if area else ""
    return f"{name}扫黑除恶专项斗争工作汇报（截至{as_of:%Y%m%d}）.docx"


def briefing_blocks(as_of: datetime.date, scope: Scope, area: Area) -> list[Block]:
    f = figures(as_of, scope)
    blocks = [
        Block("title", f"{area.name}扫黑除恶专项斗争工作汇报"),
        Block("subtitle", f"（截至{cn_date(as_of)}）"),
        Block("body", f"现将{area.ours}扫黑除恶专项斗争工作情况汇报如下。"),
        Block("h1", "基本情况"),
        *basic_situation(as_of, scope, area, f),
        Block("h1", "存在问题"),
        *problems(as_of, scope, area, f),
        Block("h1", "下步工作打算"),
        *template_blocks(NEXT_STEPS_TEMPLATE, next_steps_context(as_of, area, f)),
        Block("signature", area.issuer, data=[cn_date(as_of)]),
    ]
    return numbered(blocks)


def basic_situation(as_of, scope: Scope, area: Area, f: dict) -> list[Block]:
    day = cn_date(as_of)
    blocks = [Block("h2", "线索摸排核查情况"), Block("body", _clue_sentence(day, area, f))]

    if f["cases_opened"]:
        blocks += [
            Block("h2", "打击黑恶势力犯罪情况"),
            Block("body", _case_sentence(as_of, scope, f)),
        ]
    if f["oil_cases"]:
        text = f"深入开展油田领域专项整治，侦办涉油案件{f['oil_cases']}起"
        suspects = oil_suspects(as_of, scope)
        if suspects:
            text += f"，涉案人员{suspects}人"
        if f["crude_oil_tonnes"]:
            text += f"，追缴原油{decimal_text(f['crude_oil_tonnes'])}吨"
        equipment = oil_equipment(as_of, scope)
        if equipment:
            text += f"，查扣涉案设备{equipment}台（套）"
        blocks += [Block("h2", "油田领域专项整治情况"), Block("body", text + "。")]
    if f["umbrella_cases"] or f["officials_investigated"]:
        text = f"立案查处涉黑涉恶腐败和“保护伞”案件{f['umbrella_cases']}起"
        if f["officials_investigated"]:
            text += f"，审查调查公职人员{f['officials_investigated']}人"
            employers = [(e, n) for e, n in officials_by_employer(as_of, scope) if e]
            if len(employers) == 1 and employers[0][1] == f["officials_investigated"]:
                text += f"，均为{employers[0][0]}干部"
            elif employers:
                text += "，其中" + listing(f"{e}{n}人" for e, n in employers[:3])
        blocks += [Block("h2", "“打伞破网”情况"), Block("body", text + "。")]
    if f["transfers_sent"]:
        text = (
            f"成员单位之间移送线索和案件{f['transfers_sent']}件，"
            f"已反馈{f['transfers_answered']}件。"
        )
        blocks += [Block("h2", "线索案件移送情况"), Block("body", text)]
    publicity = _publicity_sentence(as_of, scope, area)
    if publicity:
        blocks += [Block("h2", "宣传发动情况"), Block("body", publicity)]
    return blocks


def _clue_sentence(day: str, area: Area, f: dict) -> str:
    total = f["clues_total"]
    text = f"截至{day}，{area.whole}共受理涉黑涉恶线索{total}条"
    if not total:
        return text + "。"
    sources = [
        f"{SOURCE_NAMES[k]}{n}条" for k, n in f["by_source"].items() if n and k in SOURCE_NAMES
    ]
    if len(sources) > 1:
        text += f"，其中{listing(sources)}"
    text += f"。已查结{f['clues_concluded']}条、阶段性查结{f['clues_interim']}条，"
    text += f"正在核查{f['clues_verifying']}条"
    if f["clues_pending"]:
        text += f"，待分流{f['clues_pending']}条"
    text += f"，线索办结率{percent(f['conclusion_rate'])}（含阶段性查结）"
    if f["clues_led_to_case"]:
        text += f"；查结线索中已立案{f['clues_led_to_case']}条"
    return text + "。"


def _case_sentence(as_of, scope: Scope, f: dict) -> str:
    text = f"共立涉黑涉恶案件{f['cases_opened']}起"
    if f["umbrella_cases"]:
        text += f"（含涉黑涉恶腐败和“保护伞”案件{f['umbrella_cases']}起）"
    text += f"，已办结{f['cases_closed']}起"
    stages = [
        f"{STAGE_NAMES[s]}阶段{n}起"
        for s, n in f["cases_by_stage"].items()
        if n and s in STAGE_NAMES
    ]
    if stages:
        text += f"，处于{listing(stages)}"
    text += "。"
    gangs = [
        f"{name}{f['cases_by_kind'][kind]}个"
        for kind, name in GANG_KIND_NAMES.items()
        if f["cases_by_kind"][kind]
    ]
    if gangs:
        text += f"打掉{listing(gangs)}，涉案成员{f['gang_members']}人"
        names = [masked_case_name(n) for n in gang_case_names(as_of, scope)]
        if names:
            more = "等" if len(names) > NAMED_CASES else ""
            text += f"（{listing(names[:NAMED_CASES])}{more}）"
        text += "。"
    if f["gang_cases"]:
        text += f"对{f['gang_cases']}起涉黑涉恶案件落实“一案三查”，"
        if f["checks_complete"] == f["gang_cases"]:
            text += "均已全部完成。"
        elif f["checks_complete"]:
            text += f"已全部完成{f['checks_complete']}起。"
        else:
            text += "尚无全部完成的案件。"
    seized = []
    if f["vehicles_seized"]:
        seized.append(f"查扣涉案车辆{f['vehicles_seized']}台")
    # Equipment of the oil cases is told with them (油田领域专项整治).
    other_equipment = f["equipment_seized"] - (oil_equipment(as_of, scope) if f["oil_cases"] else 0)
    if other_equipment:
        seized.append(f"查扣涉案设备{other_equipment}台（套）")
    if f["assets_yuan"]:
        seized.append(f"查封、扣押、冻结涉案资产{yuan(f['assets_yuan'])}")
    if f["fines_yuan"]:
        seized.append(f"判处罚金{yuan(f['fines_yuan'])}")
    if seized:
        text += f"深入推进“打财断血”，{'，'.join(seized)}。"
    return text


def _publicity_sentence(as_of, scope: Scope, area: Area) -> str:
    totals = indicator_totals(as_of, scope, [code for code, _verb in PUBLICITY])
    done = [
        f"{verb}{totals[code]['cumulative'].current}{totals[code]['measure']}"
        for code, verb in PUBLICITY
        if code in totals and totals[code]["cumulative"].current_count
    ]
    # The publicity activities recorded by the units (saohei.oversight, 宣传活动台账).
    from saohei.oversight.publicity import briefing_sentence

    records = briefing_sentence(as_of, scope.units, area.whole)
    if not done:
        return records
    period = next(iter(totals.values()))["cumulative"].period
    text = f"截至{period.last.year}年{period.last.month}月，{area.whole}累计{listing(done)}"
    items = totals.get("publicity_items")
    ytd = items and items["ytd"]
    if ytd and ytd.current_count and ytd.previous_count and ytd.change_rate is not None:
        trend = "同比持平"
        if ytd.change_rate:
            word = "增长" if ytd.change_rate > 0 else "下降"
            trend = f"同比{word}{percent(abs(ytd.change_rate))}"
        text += f"；{ytd.period.label}发放宣传品{ytd.current}{items['measure']}，{trend}"
    return text + "。" + records


def problems(as_of, scope: Scope, area: Area, f: dict) -> list[Block]:
    """Only the shortfalls the figures show, each as （一）heading and a paragraph."""
    found = []
    day = cn_date(as_of)
    target = conclusion_target()
    rate = f["conclusion_rate"]
    if rate is not None and rate < target:
        text = (
            f"截至{day}，{area.whole}线索办结率为{percent(rate)}，低于{percent(target)}的目标要求，"
            f"尚有{f['clues_verifying']}条线索正在核查"
        )
        if f["clues_pending"]:
            text += f"、{f['clues_pending']}条线索待分流"
        low = sorted(
            (
                r
                for r in f["units"]
                if r["conclusion_rate"] is not None and r["conclusion_rate"] < target
            ),
            key=lambda r: (r["conclusion_rate"], -r["assigned"]),
        )
        if low:
            text += "。办结率低于目标的单位有" + listing(
                f"{r['unit_name']}（{percent(r['conclusion_rate'])}）" for r in low
            )
        found.append(("线索核查办结率偏低", text + "。"))
    if f["clues_overdue"]:
        late = sorted((r for r in f["units"] if r["overdue"]), key=lambda r: -r["overdue"])
        text = f"{f['clues_overdue']}条线索超过办理期限仍未查结"
        if late:
            text += f"，涉及{len(late)}个单位：" + listing(
                f"{r['unit_name']}{r['overdue']}条" for r in late
            )
        found.append(("部分线索超期未办结", text + "。"))
    share = f["industry_disorder_share"]
    if share is not None and share > LOW_QUALITY_SHARE:
        cats = f["by_category"]
        text = (
            f"受理的{f['clues_total']}条线索中，行业乱象类线索{cats['industry_disorder']}条，"
            f"占{percent(share)}；涉黑类线索{cats['gang']}条、涉恶类线索{cats['evil_force']}条，"
            "真正涉黑涉恶的线索较少。"
        )
        found.append(("线索质量不高", text))
    members = [r for r in f["units"] if r["unit_kind"] != UnitKind.OFFICE]
    silent = [r for r in members if not r["handed_over"]]
    if members and silent and f["clues_total"]:
        text = (
            f"{len(members)}个成员单位中，有{len(silent)}个单位未移交线索，"
            f"占{percent(len(silent) / len(members))}"
        )
        if len(silent) <= NAMED_UNITS:
            text += f"，分别是{listing(r['unit_name'] for r in silent)}"
        else:
            kinds = Counter(r["unit_kind"] for r in silent)
            text += "，其中" + listing(
                f"{KIND_NAMES[k]}{kinds[k]}个" for k in KIND_NAMES if kinds.get(k)
            )
        found.append(("成员单位线索移交不力", text + "。"))
    if f["transfers_late"]:
        text = f"移送的线索和案件中，有{f['transfers_late']}件超过反馈期限未反馈或逾期反馈"
        units = late_transfers_by_unit(as_of, scope)
        if units:
            text += f"，涉及{listing(f'{u}{n}件' for u, n in units)}"
        found.append(("移送事项反馈不及时", text + "。"))
    two_way = _two_way(f, scope)
    if two_way:
        found.append(("纪检监察机关与公安机关线索双向移送不畅", two_way))
    if f["checks_incomplete"]:
        text = (
            f"{f['gang_cases']}起涉黑涉恶案件中，有{f['checks_incomplete']}起“一案三查”"
            "尚未全部完成，深挖彻查黑恶势力背后“保护伞”和监管失职问题还不到位。"
        )
        found.append(("“一案三查”落实不到位", text))
    police = _police_sentence(as_of, scope)
    if police:
        found.append(("打击效能有待提升", police))
    # Rectification tasks overdue (saohei.rectification.summary.overdue_tasks).
    from saohei.rectification.summary import overdue_paragraph

    rectification = overdue_paragraph(as_of, scope)
    if rectification:
        found.append(("整改任务逾期", rectification))
    behind = _targets_behind(as_of, scope)
    if behind:
        found.append(("目标任务推进滞后", behind))
    if not found:
        return [
            Block(
                "body",
                f"从截至{day}的统计数据看，线索办理、案件办理和移送反馈等方面未发现明显短板。",
            )
        ]
    return [b for heading, text in found for b in (Block("h2", heading), Block("body", text))]


def _targets_behind(as_of, scope: Scope) -> str:
    """Campaign targets (saohei.campaigns) of the scope's jurisdictions that will miss their
    deadline at the current pace."""
    from saohei.campaigns.report import targets_behind

    return targets_behind(as_of, scope.units.values("jurisdiction_id"))


def _two_way(f: dict, scope: Scope) -> str:
    """Transfers between the discipline commission and the police, from the transfer matrix:
    a problem when either direction has none (and both kinds of unit are in the scope)."""
    kinds = {r["unit_kind"] for r in f["units"]}
    if not {UnitKind.POLICE, UnitKind.DISCIPLINE} <= kinds or not f["clues_total"]:
        return ""
    sent = Counter()
    for row in f["transfers"]:
        sent[(row["from"], row["to"])] += row["sent"]
    to_discipline = sent[(UnitKind.POLICE, UnitKind.DISCIPLINE)]
    to_police = sent[(UnitKind.DISCIPLINE, UnitKind.POLICE)]
    if to_discipline and to_police:
        return ""
    if not to_discipline and not to_police:
        return (
            "纪检监察机关与公安机关之间未相互移送线索，线索双向移送为零，双向移送机制尚未有效运转。"
        )
    return (
        f"公安机关向纪检监察机关移送{to_discipline}件，纪检监察机关向公安机关移送{to_police}件，"
        "线索移送仅单向进行，双向移送机制尚未有效运转。"
    )


def _police_sentence(as_of, scope: Scope) -> str:
    """Cases accepted by the police falling year on year (monthly indicators)."""
    totals = indicator_totals(as_of, scope, ["cases_accepted", "police_calls"])
    accepted = totals.get("cases_accepted", {}).get("ytd")
    if not (accepted and accepted.current_count and accepted.previous_count):
        return ""
    if accepted.change_rate is None or accepted.change_rate >= 0:
        return ""
    text = (
        f"{accepted.period.label}，公安机关受理案件{accepted.current}件，"
        f"同比下降{percent(-accepted.change_rate)}"
    )
    calls = totals.get("police_calls", {}).get("ytd")
    if calls and calls.current_count and calls.previous_count and calls.change_rate is not None:
        trend = "持平"
        if abs(calls.change_rate) >= 0.05:
            trend = ("增长" if calls.change_rate > 0 else "下降") + percent(abs(calls.change_rate))
        elif calls.change_rate:
            trend = "基本持平"
        text += f"；接警{calls.current}起，同比{trend}"
    return text + "，对黑恶犯罪的打击力度有待加大。"


def next_steps_context(as_of, area: Area, f: dict) -> dict:
    """The values the 下步工作打算 template can use (docs/briefing.md)."""
    target = conclusion_target()
    rate = f["conclusion_rate"]
    return {
        "as_of": cn_date(as_of),
        "area": area.name,
        "whole_area": area.whole,
        "our_area": area.ours,
        "clues_total": f["clues_total"],
        "concluded": f["clues_concluded"],
        "interim": f["clues_interim"],
        "verifying": f["clues_verifying"],
        "pending": f["clues_pending"],
        "overdue": f["clues_overdue"],
        "open_clues": f["clues_verifying"] + f["clues_interim"] + f["clues_pending"],
        "conclusion_rate": percent(rate) if rate is not None else "",
        "target_rate": percent(target),
        "below_target": rate is not None and rate < target,
        "cases_opened": f["cases_opened"],
        "open_cases": f["cases_opened"] - f["cases_closed"],
        "gang_cases": f["gang_cases"],
        "checks_incomplete": f["checks_incomplete"],
        "oil_cases": f["oil_cases"],
        "transfers_late": f["transfers_late"],
        "units_without_handover": len(f["units_without_handover"]),
    }
