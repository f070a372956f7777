"""The three lists of a rectification (问题清单、任务清单、责任清单), as a Word document in the
official format (landscape: the tables are wide) and as an Excel workbook with a sheet each.

The task sheet has the columns of the task ledger (ledger.py), so an exported list can be
filled in and imported again. Rows come from the same filtered tasks as the task list page
(TaskFilterSet), so the page and its export always agree.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from saohei.core import officialdoc
from saohei.core.dates import cn_date

from .choices import TaskStatus
from .ledger import HEADERS as TASK_HEADERS
from .ledger import OPTIONAL as TASK_OPTIONAL
from .models import Task

PROBLEM_HEADERS = ["序号", "督导检查", "问题类别", "存在问题", "涉及单位"]
TASK_LIST_HEADERS = [
    "序号",
    *TASK_HEADERS[:5],  # 督导检查 问题类别 存在问题 整改措施 阶段目标
    *TASK_HEADERS[5:],  # 责任单位 责任人 完成时限
    "整改状态",
]
RESPONSIBILITY_HEADERS = [
    "序号",
    "督导检查",
    "存在问题",
    "整改任务",
    "责任单位",
    "责任人",
    "完成时限",
    "完成情况",
]

# The Word document's columns (a selection of the sheet's, to fit the landscape type area of
# 297 − 37 − 35 = 225 mm): the problem list states the problems, the task list the measures
# and timetable, the responsibility list who answers for each task. 督导检查 is shown only
# when the lists cover more than one inspection (else the title names it); its width is
# taken from the widest column. Widths in mm.
DOCX_COLUMNS = {
    "问题清单": [
        ("序号", 12),
        ("督导检查", 0),
        ("问题类别", 24),
        ("存在问题", 139),
        ("涉及单位", 50),
    ],
    "任务清单": [
        ("序号", 12),
        ("督导检查", 0),
        ("问题类别", 22),
        ("存在问题", 55),
        ("整改措施", 63),
        ("阶段目标", 28),
        ("完成时限", 25),
        ("整改状态", 20),
    ],
    "责任清单": [
        ("序号", 12),
        ("督导检查", 0),
        ("整改任务", 94),
        ("责任单位", 42),
        ("责任人", 20),
        ("完成时限", 25),
        ("完成情况", 32),
    ],
}
INSPECTION_WIDTH = 36
XLSX_WIDTHS = {
    "问题清单": [6, 30, 12, 60, 30],
    "任务清单": [6, 30, 12, 45, 50, 30, 18, 10, 14, 10],
    "责任清单": [6, 30, 45, 50, 18, 10, 14, 24],
}


def _unit(unit) -> str:
    return unit.name


def outcome(task: Task, today: datetime.date) -> str:
    """完成情况 as the responsibility list states it."""
    if task.status == TaskStatus.SIGNED_OFF:
        return f"已销号（{cn_date(task.signed_off_at)}）"
    if task.status == TaskStatus.REPORTED:
        return "已完成，待销号"
    if task.deadline < today:
        return "逾期未完成" if task.status == TaskStatus.IN_PROGRESS else "重新整改，逾期未完成"
    return str(task.get_status_display())


def collect(tasks, problems, today: datetime.date | None = None) -> dict:
    """The rows of the three lists: {"问题清单": [...], "任务清单": [...], "责任清单": [...]},
    each row a list of cell values (dates as dates)."""
    today = today or timezone.localdate()
    problems = problems.select_related("inspection", "category").prefetch_related("units_concerned")
    problem_rows = [
        [
            n,
            p.inspection.title,
            p.category.name,
            p.text,
            "、".join(_unit(u) for u in p.units_concerned.all()),
        ]
        for n, p in enumerate(problems, start=1)
    ]
    tasks = list(
        tasks.select_related("problem__inspection", "problem__category", "responsible_unit")
        .order_by("problem__inspection__date", "problem__category__sort_order",
                  "problem__number", "deadline", "pk")
    )  # fmt: skip
    task_rows, responsibility_rows = [], []
    for n, t in enumerate(tasks, start=1):
        task_rows.append(
            [
                n,
                t.problem.inspection.title,
                t.problem.category.name,
                t.problem.text,
                t.measures,
                t.milestones,
                _unit(t.responsible_unit),
                t.responsible_person,
                t.deadline,
                str(t.get_status_display()),
            ]
        )
        responsibility_rows.append(
            [
                n,
                t.problem.inspection.title,
                t.problem.text,
                t.measures,
                _unit(t.responsible_unit),
                t.responsible_person,
                t.deadline,
                outcome(t, today),
            ]
        )
    return {"问题清单": problem_rows, "任务清单": task_rows, "责任清单": responsibility_rows}


HEADERS = {
    "问题清单": PROBLEM_HEADERS,
    "任务清单": TASK_LIST_HEADERS,
    "责任清单": RESPONSIBILITY_HEADERS,
}


def write_xlsx(lists: dict, fh) -> None:
    """One sheet per list, the header row bold and frozen, long text wrapped."""
    wb = Workbook()
    wb.remove(wb.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, rows in lists.items():
        ws = wb.create_sheet(name)
        ws.append(HEADERS[name])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for index, width in enumerate(XLSX_WIDTHS[name]):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    wb.save(fh)


def _landscape(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(15)


def _cell(value) -> str:
    if isinstance(value, datetime.date):
        return cn_date(value)
    return "" if value is None else str(value)


def write_docx(lists: dict, fh, *, heading: str, issuer: str, as_of: datetime.date) -> None:
    """The three lists as tables of an official document, landscape A4."""
    doc = officialdoc.new_document(title=heading, author=issuer)
    _landscape(doc)
    officialdoc.title(doc, heading)
    sub = doc.add_paragraph(f"（截至{cn_date(as_of)}）", style=officialdoc.FLUSH_STYLE)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    several = len({row[1] for rows in lists.values() for row in rows}) > 1
    for number, (name, rows) in enumerate(lists.items()):
        officialdoc.heading1(doc, f"{'一二三'[number]}、{name}")
        if not rows:
            officialdoc.body(doc, "无。")
            continue
        columns = _docx_columns(name, several)
        index = [HEADERS[name].index(header) for header, _ in columns]
        cells = [[_cell(row[i]) for i in index] for row in rows]
        officialdoc.table(doc, [h for h, _ in columns], cells, [w for _, w in columns])
    officialdoc.signature(doc, issuer, cn_date(as_of))
    doc.save(fh)


def _docx_columns(name: str, several: bool) -> list[tuple[str, float]]:
    columns = [(h, w) for h, w in DOCX_COLUMNS[name] if w or several]
    if several:
        widest = max(range(len(columns)), key=lambda i: columns[i][1])
        header, width = columns[widest]
        columns[widest] = (header, width - INSPECTION_WIDTH)
        columns = [(h, w or INSPECTION_WIDTH) for h, w in columns]
    return columns


def filename(fmt: str, as_of: datetime.date) -> str:
    return f"整改问题清单、任务清单、责任清单（截至{as_of:%Y%m%d}）.{fmt}"


__all__ = ["TASK_OPTIONAL", "collect", "filename", "write_docx", "write_xlsx"]
