"""Statistical tables (统计报表): the monthly and quarterly tables per unit, as .xlsx laid out as
a government statistics table — title, period, table number, compiling office, a two-level
header with column numbers (栏次), one row per unit, 合计, and the compiler's footer.

Every number comes from `figures(as_of=period end, scope, start=period start)`, the function
behind the dashboard, the API and the briefing, so the table agrees with them. Totals and
rates are computed here and written as plain numbers (no formulas): the file reads the same in
any spreadsheet program and cannot change when someone edits a cell. Layout and definitions:
docs/statistical-tables.md.
"""

from __future__ import annotations

import datetime
import re
from calendar import monthrange
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from saohei.core.dates import cn_date

from .figures import Scope, figures

UNIT_TABLE_TITLE = "扫黑除恶专项斗争线索办理情况统计表"
UNIT_TABLE_NUMBER = "扫黑统1表"
CASE_TABLE_TITLE = "扫黑除恶专项斗争案件办理情况统计表"
CASE_TABLE_NUMBER = "扫黑统2表"
NOT_APPLICABLE = "—"  # a rate with nothing to divide by, as statistics tables write it

# Period --------------------------------------------------------------------------------------

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")


@dataclass(frozen=True)
class Period:
    """A reporting period: a calendar month (2019-06) or quarter (2019-Q2)."""

    code: str
    start: datetime.date
    end: datetime.date
    label: str  # 2019年6月, 2019年第2季度


def parse_period(text: str) -> Period:
    """'2019-06' (or 2019-6) for a month, '2019-Q2' for a quarter; ValueError otherwise."""
    text = (text or "").strip()
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 1:
            start = datetime.date(year, month, 1)
            end = datetime.date(year, month, monthrange(year, month)[1])
            return Period(f"{year:04d}-{month:02d}", start, end, f"{year}年{month}月")
    elif match := _QUARTER.fullmatch(text):
        year, quarter = int(match[1]), int(match[2])
        if year >= 1:
            start = datetime.date(year, 3 * quarter - 2, 1)
            last = 3 * quarter
            end = datetime.date(year, last, monthrange(year, last)[1])
            return Period(f"{year:04d}-Q{quarter}", start, end, f"{year}年第{quarter}季度")
    raise ValueError(
        _("“%(value)s” is not a period: use a month such as 2019-06 or a quarter such as 2019-Q2.")
        % {"value": text}
    )


def period_label(start: datetime.date, end: datetime.date) -> str:
    """2019年6月 for a whole month, 2019年第2季度 for a whole quarter, else ''."""
    for code in (
        f"{start.year:04d}-{start.month:02d}",
        f"{start.year:04d}-Q{(start.month + 2) // 3}",
    ):
        period = parse_period(code)
        if (period.start, period.end) == (start, end):
            return period.label
    return ""


def period_span(start: datetime.date, end: datetime.date) -> str:
    return f"{cn_date(start)}至{cn_date(end)}"


# Numbers -------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> float | str:
    """part/whole as a percentage with one decimal, rounded half up (75.4); '—' for 0/0."""
    if not whole:
        return NOT_APPLICABLE
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)


def wan(yuan) -> float:
    """An amount in yuan as 万元 with two decimals (700000 → 70.0)."""
    value = (Decimal(str(yuan or 0)) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(value)


# The unit table ------------------------------------------------------------------------------

# (header, parent header or None, 栏次, width, figures key or None)
UNIT_COLUMNS = [
    ("序号", None, "甲", 6, None),
    ("单位", None, "乙", 26, None),
    ("交办线索数", None, "1", 11, "assigned"),
    ("查结", "办理情况", "2", 10, "concluded"),
    ("阶段性查结", "办理情况", "3", 11, "interim"),
    ("正在核查", "办理情况", "4", 10, "verifying"),
    ("其中：逾期", "办理情况", "5", 10, "overdue"),
    ("查结率（%）", None, "6", 11, None),
    ("移交线索数", None, "7", 11, "handed_over"),
    ("备注", None, "丙", 14, None),
]
COUNT_KEYS = [column[4] for column in UNIT_COLUMNS if column[4]]

UNIT_TABLE_NOTES = (
    "说明：1.本表统计本期受理的线索（并案的重复线索不计），按统计期末的办理状态和承办单位计数；"
    "尚未交办（待分流、暂存待查）的线索不计入各单位。"
    "2.栏次关系：1=2+3+4，5≤4。"
    "3.查结率＝（查结＋阶段性查结）÷交办线索数×100%，保留一位小数；交办线索数为0的记“—”。"
    "4.逾期指统计期末仍在核查且已超过办理期限（含经批准延长的期限）的线索。"
    "5.移交线索数指成员单位本期向扫黑办移交（登记）的线索数。"
    "6.本表数字均由平台按统计期末的记录计算，与数据看板、汇报材料一致。"
)


def unit_table_rows(figs: dict) -> tuple[list[list], list]:
    """The unit rows and the 合计 row of the table, from `figures(...)` of the period."""
    rows = []
    for index, unit in enumerate(figs["units"], start=1):
        done = unit["concluded"] + unit["interim"]
        rows.append(
            [
                index,
                unit["unit_name"],
                unit["assigned"],
                unit["concluded"],
                unit["interim"],
                unit["verifying"],
                unit["overdue"],
                percent(done, unit["assigned"]),
                unit["handed_over"],
                "",
            ]
        )
    sums = {key: sum(unit[key] for unit in figs["units"]) for key in COUNT_KEYS}
    total = [
        "",
        "合计",
        sums["assigned"],
        sums["concluded"],
        sums["interim"],
        sums["verifying"],
        sums["overdue"],
        percent(sums["concluded"] + sums["interim"], sums["assigned"]),
        sums["handed_over"],
        "",
    ]
    return rows, total


def write_unit_table(
    scope: Scope,
    period_start: datetime.date,
    period_end: datetime.date,
    fh,
    *,
    compiler: str,
    unit_name: str,
    label: str | None = None,
    filled_on: datetime.date | None = None,
) -> None:
    """Write the unit table of the period (and, on a second sheet, the case table) as .xlsx
    to the binary file `fh`. `label` is the period's name under the title (default: 2019年6月
    or 2019年第2季度 when the dates are a whole month or quarter); `filled_on` the 填报日期
    (default: today)."""
    period = figures(period_end, scope, start=period_start)
    to_date = figures(period_end, scope)
    label = period_label(period_start, period_end) if label is None else label
    filled_on = filled_on or timezone.localdate()
    wb = Workbook()
    wb.active.title = "线索办理情况"
    sheet = _Sheet(wb.active, [width for _t, _p, _n, width, _k in UNIT_COLUMNS])
    heading = (label, unit_name, period_start, period_end)
    spans = ((1, 3), (4, 7), (8, 10))  # 制表机关 | 统计期间 | 表号; 填表人 | 审核人 | 填报日期
    sheet.heading(UNIT_TABLE_TITLE, UNIT_TABLE_NUMBER, *heading, spans=spans)
    sheet.two_level_header(UNIT_COLUMNS)
    rows, total = unit_table_rows(period)
    for row in rows:
        sheet.body_row(row, text_columns=(2,), decimals="0.0")
    sheet.body_row(total, text_columns=(2,), decimals="0.0", bold=True)
    sheet.footer(compiler, filled_on, UNIT_TABLE_NOTES, spans=spans)

    case_sheet = _Sheet(wb.create_sheet("案件办理情况"), [width for _t, _n, width in CASE_COLUMNS])
    case_sheet.heading(CASE_TABLE_TITLE, CASE_TABLE_NUMBER, *heading,
                       spans=((1, 2), (3, 5), (6, 6)))  # fmt: skip
    case_sheet.one_level_header(CASE_COLUMNS)
    for row in case_table_rows(period, to_date):
        case_sheet.body_row(
            row,
            text_columns=(2, 3),
            decimals="0.00" if row[2] == "万元" else "0.0",
            indent=row[0] == "",
        )
    case_sheet.footer(compiler, filled_on, CASE_TABLE_NOTES, spans=((1, 2), (3, 4), (5, 6)))
    wb.save(fh)


# The case table (second sheet) ---------------------------------------------------------------

CASE_COLUMNS = [
    ("序号", "甲", 6),
    ("指标名称", "乙", 34),
    ("计量单位", "丙", 10),
    ("本期", "1", 15),
    ("累计", "2", 15),
    ("备注", "丁", 16),
]

CASE_KIND_LABELS = {
    "gang_org": "涉黑组织",
    "evil_group": "恶势力犯罪集团",
    "evil_gang": "恶势力团伙",
    "ordinary": "一般涉恶",
    "umbrella": "涉黑涉恶腐败和保护伞",
}
STAGE_LABELS = {
    "investigation": "侦查（审查调查）",
    "prosecution": "审查起诉",
    "trial": "审判",
    "closed": "办结",
}

CASE_TABLE_NOTES = (
    "说明：1.“本期”统计本期立案的案件，“累计”统计截至统计期末立案的全部案件；所处阶段、办结、"
    "成员人数和涉案财物均按统计期末的记录计算。"
    "2.办结率＝办结案件数÷立案案件数×100%，保留一位小数。"
    "3.罚金按判处罚金金额折算为万元，保留两位小数。"
)


def case_table_rows(period: dict, to_date: dict) -> list[list]:
    """Indicator rows: [序号, 指标名称, 计量单位, 本期, 累计]; sub-items (其中) have no 序号."""

    def both(key):
        return [period[key], to_date[key]]

    rows = [["一", "立案案件数", "件", *both("cases_opened")]]
    for kind, text in CASE_KIND_LABELS.items():
        rows.append(["", f"其中：{text}", "件", period["cases_by_kind"][kind],
                     to_date["cases_by_kind"][kind]])  # fmt: skip
    rows.append(["二", "期末所处阶段", "", "", ""])
    for stage, text in STAGE_LABELS.items():
        rows.append(["", text, "件", period["cases_by_stage"][stage],
                     to_date["cases_by_stage"][stage]])  # fmt: skip
    rows += [
        ["三", "办结案件数", "件", *both("cases_closed")],
        [
            "四",
            "办结率",
            "%",
            percent(period["cases_closed"], period["cases_opened"]),
            percent(to_date["cases_closed"], to_date["cases_opened"]),
        ],
        ["五", "打掉涉黑涉恶团伙（组织）", "个", *both("gang_cases")],
        ["六", "涉黑涉恶团伙（组织）成员", "人", *both("gang_members")],
        ["七", "查扣车辆", "辆", *both("vehicles_seized")],
        ["八", "判处罚金", "万元", wan(period["fines_yuan"]), wan(to_date["fines_yuan"])],
    ]
    return [[*row, ""] for row in rows]  # 备注 left blank


# Sheet layout --------------------------------------------------------------------------------

FONT = "宋体"
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
SIGN_LINE = "________________"


class _Sheet:
    """Writes one statistics table top to bottom on a worksheet with columns of `widths`."""

    def __init__(self, ws: Worksheet, widths: list[int]):
        self.ws, self.width, self.row = ws, len(widths), 0
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        self.total_width = sum(widths)

    def _merged(self, text, first: int, last: int, *, font=None, align=CENTER):
        cell = self.ws.cell(self.row, first, text)
        cell.font, cell.alignment = font or Font(name=FONT, size=11), align
        if last > first:
            self.ws.merge_cells(start_row=self.row, start_column=first,
                                end_row=self.row, end_column=last)  # fmt: skip

    def _three(self, texts, spans, aligns=(LEFT, CENTER, RIGHT)) -> None:
        for text, (first, last), align in zip(texts, spans, aligns, strict=True):
            self._merged(text, first, last, align=align)

    def heading(self, title, number, label, unit_name, start, end, *, spans) -> None:
        """Title, the period's name under it, and 制表机关 | 统计期间 | 表号."""
        self.row = 1
        self._merged(title, 1, self.width, font=Font(name=FONT, size=18, bold=True))
        self.ws.row_dimensions[1].height = 36
        self.row = 2
        self._merged(f"（{label}）" if label else "", 1, self.width,
                     font=Font(name=FONT, size=12))  # fmt: skip
        self.row = 3
        self._three(
            [f"制表机关：{unit_name}", f"统计期间：{period_span(start, end)}", f"表号：{number}"],
            spans,
        )
        self.ws.row_dimensions[3].height = 22

    def _header_cell(self, row, column, text):
        cell = self.ws.cell(row, column, text)
        cell.font, cell.alignment = Font(name=FONT, size=11, bold=True), CENTER
        return cell

    def two_level_header(self, columns) -> None:
        """Rows 4-5: a parent heading merged over its columns, the others merged down."""
        top, sub = 4, 5
        parents: dict[str, list[int]] = {}
        for column, (text, parent, *_rest) in enumerate(columns, start=1):
            if parent is None:
                self._header_cell(top, column, text)
                self.ws.merge_cells(start_row=top, start_column=column,
                                    end_row=sub, end_column=column)  # fmt: skip
            else:
                self._header_cell(sub, column, text)
                parents.setdefault(parent, []).append(column)
        for parent, spans in parents.items():
            self._header_cell(top, spans[0], parent)
            self.ws.merge_cells(start_row=top, start_column=spans[0],
                                end_row=top, end_column=spans[-1])  # fmt: skip
        self.ws.row_dimensions[top].height = self.ws.row_dimensions[sub].height = 24
        for row in (top, sub):
            self._grid(row)
        self._column_numbers(6, [number for _t, _p, number, *_r in columns])
        self._print_setup(title_rows=6, pages_down=0)

    def one_level_header(self, columns) -> None:
        for column, (text, *_rest) in enumerate(columns, start=1):
            self._header_cell(4, column, text)
        self.ws.row_dimensions[4].height = 24
        self._grid(4)
        self._column_numbers(5, [number for _t, number, _w in columns])
        self._print_setup(title_rows=5, pages_down=1)  # a fixed list of indicators

    def _column_numbers(self, row, numbers) -> None:
        """The 栏次 row (甲 乙 1 2 …) that statistics tables put under the header."""
        for column, number in enumerate(numbers, start=1):
            cell = self.ws.cell(row, column, number)
            cell.font, cell.alignment = Font(name=FONT, size=10), CENTER
        self._grid(row)
        self.row = row

    def body_row(self, values, *, text_columns, decimals, bold=False, indent=False) -> None:
        """One row: 序号 centred, text columns left (centred for 合计 and short labels),
        numbers right; a float (a rate, an amount) shown with `decimals`."""
        self.row += 1
        font = Font(name=FONT, size=11, bold=bold)
        for column, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, column, value)
            cell.font = font
            if column == 1 or value in (NOT_APPLICABLE, "合计"):
                cell.alignment = CENTER
            elif column in text_columns:
                cell.alignment = Alignment(
                    horizontal="left" if column == 2 else "center",
                    vertical="center",
                    wrap_text=True,
                    indent=2 if indent and column == 2 else 0,
                )
            else:
                cell.alignment = RIGHT
                if isinstance(value, float):
                    cell.number_format = decimals
                elif isinstance(value, int):
                    cell.number_format = "0"
        self.ws.row_dimensions[self.row].height = 20
        self._grid(self.row)

    def footer(self, compiler: str, filled_on: datetime.date, notes: str, *, spans) -> None:
        """填表人 | 审核人 (a line to sign) | 填报日期, then the notes (说明)."""
        self.row += 2
        self._three(
            [f"填表人：{compiler}", f"审核人：{SIGN_LINE}", f"填报日期：{cn_date(filled_on)}"],
            spans,
        )
        self.ws.row_dimensions[self.row].height = 24
        self.row += 1
        self._merged(notes, 1, self.width, font=Font(name=FONT, size=9), align=LEFT)
        # A CJK character at 9 pt takes about 1.7 units of column width.
        lines = -(-len(notes) * 17 // (self.total_width * 10)) + 1
        self.ws.row_dimensions[self.row].height = 13 * lines
        self.ws.print_area = f"A1:{get_column_letter(self.width)}{self.row}"

    def _grid(self, row: int) -> None:
        for column in range(1, self.width + 1):
            self.ws.cell(row, column).border = GRID

    def _print_setup(self, *, title_rows: int, pages_down: int) -> None:
        """A4 landscape, one page wide and `pages_down` pages down (0: as many as the rows
        need), the title and header repeated on every page, centred, page numbers below."""
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = pages_down
        ws.print_title_rows = f"1:{title_rows}"
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.freeze_panes = ws.cell(title_rows + 1, 3)
