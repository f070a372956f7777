"""The bulletin (通报, issue 5 item 6): weekly, monthly or for any period, in the same official
format as the briefing. It ranks the units that handle clues by conclusion rate (办结率), by
substantiation rate (查实率) and by overdue clues, names the late ones, and compares each figure
with the previous period of the same length.

What each ranking counts (docs/briefing.md):
- 办结率: cumulative, as of the period's last day — a unit's clues concluded or concluded for
  the stage over the clues it handled (figures(): units[].conclusion_rate), beside the same
  as of the previous period's last day;
- 查实率: of the clues a unit concluded in the period (the conclusion on a day of the period,
  still concluded at its end), those found substantiated or partly substantiated
  (`concluded_in_period` below, through the same Scope);
- 超期: clues still being verified past their deadline at the period's end (figures():
  units[].overdue).
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

from django.db.models import CharField, Count, F, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from saohei.clues.asof import end_of_day
from saohei.clues.choices import Finding, Status
from saohei.clues.models import Move
from saohei.core.dates import cn_date
from saohei.orgs.models import Jurisdiction

from .briefing import conclusion_target, late_transfers_by_unit
from .documents import (
    Block,
    area_of,
    change,
    check,
    listing,
    numbered,
    percent,
    points,
    template_blocks,
    write_document,
)
from .figures import Scope, clues_as_of, figures, rate

REQUIREMENTS_TEMPLATE = "bulletin_requirements.docx"
LONGEST_PERIOD = 366  # days
# The ranking table's columns (mm, 156 in all; at 小四 a character is 4.2 mm, and each cell
# has 2 mm of padding): 名次, 单位, 承办, 查结, 阶段性查结, 正在核查, 超期, 办结率, 较上期末.
RANKING_HEADERS = [
    "名次", "单位", "承办", "查结", "阶段性查结", "正在核查", "超期", "办结率",
    "较上期末\n（百分点）",
]  # fmt: skip
RANKING_WIDTHS = [11, 32, 11, 11, 15, 19, 11, 15, 31]


def previous_period(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before [start, end]."""
    length = (end - start).days + 1
    return start - datetime.timedelta(days=length), start - datetime.timedelta(days=1)


def period_label(start: datetime.date, end: datetime.date) -> str:
    """2019年6月24日至6月30日, 2019年6月1日至30日, 2018年12月31日至2019年1月6日."""
    if start.year != end.year:
        return f"{cn_date(start)}至{cn_date(end)}"
    if start.month != end.month:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{end.day}日"


# The substantiation rate: a figure figures() does not give ----------------------------------


def concluded_in_period(start: datetime.date, end: datetime.date, scope: Scope) -> dict:
    """Clues concluded on a day from `start` to `end` and still concluded at the end of `end`,
    by the unit handling them then: {unit_id: {"concluded", "substantiated", "partly"}}, with
    the total under None. The finding is the one the last conclusion request before the end
    recorded (an imported clue's is the ledger's)."""
    cutoff = end_of_day(end)
    since = end_of_day(start - datetime.timedelta(days=1))
    last_conclusion = Move.objects.filter(
        clue=OuterRef("pk"), to_status=Status.CONCLUDED, at__lt=cutoff
    ).order_by("-at", "-id")
    last_finding = Move.objects.filter(
        clue=OuterRef("pk"), at__lt=cutoff, data__has_key="finding"
    ).order_by("-at", "-id")
    rows = (
        clues_as_of(scope.clues, end)
        .filter(status_then=Status.CONCLUDED)
        .annotate(
            concluded_at=Subquery(last_conclusion.values("at")[:1]),
            finding_then=Coalesce(
                Subquery(last_finding.values(f=KT("data__finding"))[:1]),
                F("finding"),
                output_field=CharField(),
            ),
        )
        .filter(concluded_at__gte=since)
        .values("unit_then", "finding_then")
        .annotate(n=Count("id"))
    )
    out = defaultdict(lambda: {"concluded": 0, "substantiated": 0, "partly": 0})
    for row in rows:
        for key in (row["unit_then"], None):
            out[key]["concluded"] += row["n"]
            if row["finding_then"] == Finding.SUBSTANTIATED:
                out[key]["substantiated"] += row["n"]
            elif row["finding_then"] == Finding.PARTLY:
                out[key]["partly"] += row["n"]
    for counts in out.values():
        counts["rate"] = rate(counts["substantiated"] + counts["partly"], counts["concluded"])
    return dict(out)


# Rankings ----------------------------------------------------------------------------------


def ranked(rows: list[dict], key: str, *, tie: str) -> list[dict]:
    """Rows with a value of `key` ordered from the highest, ties broken by `tie` (higher
    first), each given its rank (equal values share one: 1, 1, 3)."""
    present = [r for r in rows if r[key] is not None]
    ordered = sorted(present, key=lambda r: (-r[key], -r[tie]))
    out, previous, rank = [], object(), 0
    for index, row in enumerate(ordered, start=1):
        if row[key] != previous:
            rank, previous = index, row[key]
        out.append({**row, "rank": rank})
    return out


def unit_rankings(start: datetime.date, end: datetime.date, scope: Scope) -> dict:
    """The figures of the bulletin, this period and the previous one."""
    prev_start, prev_end = previous_period(start, end)
    now, before = figures(end, scope), figures(prev_end, scope)
    flow, prev_flow = figures(end, scope, start=start), figures(prev_end, scope, start=prev_start)
    found, prev_found = (
        concluded_in_period(start, end, scope),
        concluded_in_period(prev_start, prev_end, scope),
    )
    earlier = {r["unit"]: r for r in before["units"]}
    units = []
    for row in now["units"]:
        if not row["assigned"]:
            continue
        old = earlier.get(row["unit"], {})
        period = found.get(row["unit"], {})
        old_period = prev_found.get(row["unit"], {})
        units.append(
            {
                **row,
                "previous_rate": old.get("conclusion_rate"),
                "previous_overdue": old.get("overdue", 0),
                "period_concluded": period.get("concluded", 0),
                "substantiation_rate": period.get("rate"),
                "previous_substantiation_rate": old_period.get("rate"),
            }
        )
    return {
        "now": now,
        "before": before,
        "received": flow["clues_total"],
        "previous_received": prev_flow["clues_total"],
        "found": found.get(None, {"concluded": 0, "substantiated": 0, "partly": 0, "rate": None}),
        "previous_found": prev_found.get(None, {"rate": None}),
        "by_conclusion": ranked(units, "conclusion_rate", tie="assigned"),
        "by_substantiation": ranked(units, "substantiation_rate", tie="period_concluded"),
        "by_overdue": sorted(
            (u for u in units if u["overdue"]), key=lambda u: (-u["overdue"], -u["assigned"])
        ),
        "previous": (prev_start, prev_end),
    }


# The document ------------------------------------------------------------------------------


def bulletin_document(
    start: datetime.date,
    end: datetime.date,
    scope: Scope,
    fh,
    *,
    jurisdiction: Jurisdiction | None = None,
) -> None:
    """Write the bulletin of [start, end] over `scope` as .docx to the binary file `fh`.
    Raises DocumentError (and writes nothing) when it is not fit to give out."""
    area = area_of(scope, jurisdiction)
    blocks = bulletin_blocks(start, end, scope, area)
    check(blocks, _("bulletin"))
    buffer = io.BytesIO()
    write_document(blocks, buffer, title=blocks[0].text, author=area.issuer)
    fh.write(buffer.getvalue())


def bulletin_filename(start: datetime.date, end: datetime.date, area=None) -> str:
    name = area.name if area else ""
    return f"{name}线索办理情况通报（{start:%Y%m%d}-{end:%Y%m%d}）.docx"


def bulletin_blocks(start: datetime.date, end: datetime.date, scope: Scope, area) -> list[Block]:
    r = unit_rankings(start, end, scope)
    label = period_label(start, end)
    prev_label = period_label(*r["previous"])
    blocks = [
        Block("title", f"{area.name}扫黑除恶专项斗争线索办理情况通报"),
        Block("subtitle", f"（{label}）"),
        Block(
            "body",
            f"现将{label}（以下简称本期）{area.whole}涉黑涉恶线索办理情况通报如下。"
            f"上期指{prev_label}。",
        ),
        Block("h1", "总体情况"),
        *_overall(end, area, r),
        Block("h1", "各单位线索办理情况"),
        *_by_unit(start, end, scope, r),
        Block("h1", "工作要求"),
        *template_blocks(REQUIREMENTS_TEMPLATE, _requirements_context(area, r)),
        Block("signature", area.issuer, data=[cn_date(end)]),
    ]
    return numbered(blocks)


def _overall(end, area, r) -> list[Block]:
    now, before = r["now"], r["before"]
    text = f"本期{area.whole}新受理线索{r['received']}条，上期{r['previous_received']}条。"
    text += (
        f"截至{cn_date(end)}，累计受理线索{now['clues_total']}条，已查结{now['clues_concluded']}条、"
        f"阶段性查结{now['clues_interim']}条，正在核查{now['clues_verifying']}条"
    )
    if now["clues_pending"]:
        text += f"，待分流{now['clues_pending']}条"
    if now["conclusion_rate"] is not None:
        text += f"；办结率{percent(now['conclusion_rate'])}"
        if before["conclusion_rate"] is not None:
            text += f"，较上期末{points(now['conclusion_rate'], before['conclusion_rate'])}"
    text += (
        f"；超期未办结线索{now['clues_overdue']}条，"
        f"较上期末{change(now['clues_overdue'], before['clues_overdue'], '条')}。"
    )
    found = r["found"]
    if found["concluded"]:
        second = (
            f"本期查结线索{found['concluded']}条，其中查实{found['substantiated']}条、"
            f"部分查实{found['partly']}条，查实率{percent(found['rate'])}"
        )
        prev_rate = r["previous_found"]["rate"]
        second += (
            f"（上期{percent(prev_rate)}）。" if prev_rate is not None else "（上期无查结线索）。"
        )
    else:
        second = "本期无查结线索。"
    return [Block("body", text), Block("body", second)]


def _by_unit(start, end, scope, r) -> list[Block]:
    target = conclusion_target()
    blocks = [Block("h2", "办结率排名")]
    by_rate = r["by_conclusion"]
    if not by_rate:
        blocks.append(Block("body", f"截至{cn_date(end)}，尚无单位承办线索。"))
    else:
        text = f"截至{cn_date(end)}，承办线索的{len(by_rate)}个单位办结率排名见下表。"
        top = [u for u in by_rate if u["rank"] == 1]
        text += f"办结率最高的是{listing(_named_rate(u) for u in top)}"
        bottom_rank = by_rate[-1]["rank"]
        if bottom_rank != 1:
            bottom = [u for u in by_rate if u["rank"] == bottom_rank]
            text += f"，最低的是{listing(_named_rate(u) for u in bottom)}"
        low = [u for u in by_rate if u["conclusion_rate"] < target]
        if low:
            text += f"；{len(low)}个单位办结率低于{percent(target)}的目标要求"
        blocks.append(Block("body", text + "。"))
        blocks.append(Block("caption", "各单位线索办结率排名"))
        rows = [RANKING_HEADERS]
        for u in by_rate:
            compared = (
                points(u["conclusion_rate"], u["previous_rate"]).removesuffix("个百分点")
                if u["previous_rate"] is not None
                else "上期末无线索"
            )
            rows.append(
                [
                    u["rank"], u["unit_name"], u["assigned"], u["concluded"], u["interim"],
                    u["verifying"], u["overdue"], percent(u["conclusion_rate"]), compared,
                ]
            )  # fmt: skip
        blocks.append(Block("table", data=rows, widths=RANKING_WIDTHS))

    blocks.append(Block("h2", "查实率排名"))
    by_found = r["by_substantiation"]
    if by_found:
        items = []
        for u in by_found:
            item = (
                f"{u['unit_name']}{percent(u['substantiation_rate'])}"
                f"（查结{u['period_concluded']}条"
            )
            if u["previous_substantiation_rate"] is not None:
                item += f"，上期{percent(u['previous_substantiation_rate'])}"
            items.append(item + "）")
        text = f"本期查结线索的{len(by_found)}个单位，查实率由高到低依次为：{listing(items)}。"
    else:
        text = "本期各单位均无查结线索。"
    blocks.append(Block("body", text))

    blocks.append(Block("h2", "超期线索情况"))
    late = r["by_overdue"]
    if late:
        items = [
            f"{u['unit_name']}{u['overdue']}条（上期末{u['previous_overdue']}条）" for u in late
        ]
        text = (
            f"截至{cn_date(end)}，{len(late)}个单位有超期未办结线索{r['now']['clues_overdue']}条，"
            f"按超期线索数由多到少依次为：{listing(items)}。"
        )
    else:
        text = f"截至{cn_date(end)}，各单位无超期未办结线索。"
    blocks.append(Block("body", text))
    transfers = late_transfers_by_unit(end, scope)
    if transfers:
        text = "移送事项超过反馈期限未反馈或逾期反馈的有" + listing(
            f"{u}{n}件" for u, n in transfers
        )
        blocks.append(Block("body", text + "。"))
    return blocks


def _named_rate(u: dict) -> str:
    return f"{u['unit_name']}（{percent(u['conclusion_rate'])}）"


def _requirements_context(area, r) -> dict:
    now, target = r["now"], conclusion_target()
    late = r["by_overdue"]
    return {
        "area": area.name,
        "whole_area": area.whole,
        "office": area.office,
        "overdue": now["clues_overdue"],
        "overdue_units": listing(u["unit_name"] for u in late),
        "overdue_unit_count": len(late),
        "verifying": now["clues_verifying"],
        "target_rate": percent(target),
        "below_target": any(u["conclusion_rate"] < target for u in r["by_conclusion"]),
        "conclusion_rate": percent(now["conclusion_rate"])
        if now["conclusion_rate"] is not None
        else "",
    }
