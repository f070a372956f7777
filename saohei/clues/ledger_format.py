"""The clue ledger's format (DESIGN §6): columns, accepted values, per-status rules, and the
messages an import gives. Shared by import (ledger.py) and export (ledger_export.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from saohei.core.normalize import fold_text

from .choices import Category, Finding, Source, Status

# The columns, in order (DESIGN §6). They are the format itself, not UI text.
HEADERS = ["线索编号", "受理日期", "线索来源", "线索类别", "涉及行业", "被反映对象", "简要内容"]
HEADERS += ["承办单位", "办理期限", "办理状态", "办结日期", "核查结果", "是否立案", "案件编号"]
(NUMBER, RECEIVED_ON, SOURCE, CATEGORY, INDUSTRY, SUBJECTS, SUMMARY, UNIT, DEADLINE, STATUS,
 CONCLUDED_ON, FINDING, LED_TO_CASE, CASE_NUMBER) = HEADERS  # fmt: skip

MAX_BYTES = 50 * 1024 * 1024  # checked before the file is opened as a workbook
MAX_ROWS = 200_000
BATCH_SIZE = 1000  # clues per bulk insert
PROGRESS_EVERY = 1000  # rows between progress calls
HEADER_SCAN_ROWS = 10  # hand-made ledgers often have a title row or two above the headers
NUMBER_KIND = "XS"
NUMBER_RE = re.compile(r"XS(\d{4})-(\d{1,6})")
MAX_LENGTH = {SUBJECTS: 500, SUMMARY: 500, CASE_NUMBER: 30}
YES, NO = "是", "否"

SOURCE_LABELS = {
    Source.PUBLIC: "群众举报", Source.SUPERIOR: "上级交办", Source.MEMBER_UNIT: "成员单位移交",
    Source.PETITION: "信访", Source.INSPECTION: "巡察督导", Source.SELF: "自行发现",
}  # fmt: skip
CATEGORY_LABELS = {
    Category.GANG: "涉黑", Category.EVIL_FORCE: "涉恶", Category.UMBRELLA: "保护伞",
    Category.INDUSTRY_DISORDER: "行业乱象", Category.OIL: "涉油",
    Category.ROUTINE_LOAN: "套路贷", Category.RURAL: "农村黑恶", Category.OTHER: "其他",
}  # fmt: skip
STATUS_LABELS = {
    Status.RECEIVED: "待分流", Status.ASSIGNED: "已交办", Status.VERIFYING: "正在核查",
    Status.AWAITING_APPROVAL: "查结待审批", Status.INTERIM: "阶段性查结",
    Status.CONCLUDED: "查结", Status.PARKED: "暂存待查", Status.MERGED: "已并案",
}  # fmt: skip
FINDING_LABELS = {
    Finding.SUBSTANTIATED: "查实", Finding.PARTLY: "部分查实", Finding.UNFOUNDED: "查否",
}  # fmt: skip

# Which cells each 办理状态 needs, allows or forbids (the export follows the same rules).
UNITLESS = {Status.RECEIVED, Status.PARKED}  # 承办单位 and 办理期限 stay empty
HAS_UNIT = set(Status) - UNITLESS
NEEDS_UNIT = HAS_UNIT - {Status.MERGED}
DATED = {Status.INTERIM, Status.CONCLUDED, Status.AWAITING_APPROVAL}  # 办结日期 allowed
NEEDS_DATE = {Status.INTERIM, Status.CONCLUDED}
WITH_FINDING = DATED  # 核查结果 allowed
NEEDS_FINDING = {Status.CONCLUDED, Status.AWAITING_APPROVAL}

# name: (code, message). Codes are for programs and tests; messages for people.
MESSAGES = {
    "too_large": ("file_too_large", gettext_lazy(
        "The file is %(size)s MB; at most %(max)s MB can be imported at once: split it.")),
    "empty_file": ("empty", gettext_lazy("The file is empty.")),
    "xls": ("not_xlsx", gettext_lazy(
        "This is an old-style .xls file: save it as “Excel workbook (*.xlsx)” and import that.")),
    "not_xlsx": ("not_xlsx", gettext_lazy(
        "This is not an Excel .xlsx file: save it as “Excel workbook (*.xlsx)” and import that.")),
    "unreadable": ("not_xlsx", gettext_lazy(
        "The file cannot be read as an Excel .xlsx workbook; it may be damaged.")),
    "empty_sheet": ("empty", gettext_lazy("The first sheet is empty: no header row, no clues.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no clue rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s clue rows: split it into several files.")),
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s, in any order, "
        "in simplified or traditional characters.")),
    "duplicate_header": ("duplicate_header", gettext_lazy(
        "The header “%(column)s” appears twice: keep one of the two columns.")),
    "required": ("required", gettext_lazy("This cell must not be empty.")),
    "bad_number": ("bad_number", gettext_lazy(
        "“%(value)s” is not a clue number: write it like XS2019-0057 (XS, the year, a hyphen, "
        "the sequence number).")),
    "duplicate_number": ("duplicate_number", gettext_lazy(
        "%(value)s is already in row %(first)s: each clue has one row.")),
    "number_differs": ("number_conflict", gettext_lazy(
        "%(value)s is already held with a different %(columns)s: correct the row or leave it "
        "out of the file.")),
    "number_taken": ("number_conflict", gettext_lazy(
        "%(value)s is already used by another clue: correct the number.")),
    "bad_date": ("bad_date", gettext_lazy(
        "“%(value)s” is not a date: write a date such as 2019-06-03, 2019/6/3 or 2019年6月3日, "
        "or use an Excel date cell.")),
    "future_date": ("future_date", gettext_lazy("%(value)s is in the future.")),
    "date_order": ("date_order", gettext_lazy(
        "%(value)s is before the date received, %(received)s.")),
    "invalid_choice": ("invalid_choice", gettext_lazy(
        "“%(value)s” is not accepted here: write one of %(accepted)s.")),
    "unknown_industry": ("unknown_industry", gettext_lazy(
        "“%(value)s” is not in the list of industries: write one of %(accepted)s (the office "
        "head can add industries to the list).")),
    "unknown_unit": ("unknown_unit", gettext_lazy(
        "“%(value)s” is not a member unit of your jurisdiction: write one of %(accepted)s.")),
    "ambiguous_unit": ("ambiguous_unit", gettext_lazy(
        "“%(value)s” could be any of %(accepted)s: write the full name.")),
    "umbrella": ("umbrella_to_discipline", gettext_lazy(
        "Umbrella and corruption clues go to the discipline inspection commission: write "
        "%(accepted)s.")),
    "needed_for_status": ("required_for_status", gettext_lazy(
        "Fill this in for a clue that is %(status)s.")),
    "not_for_status": ("not_allowed", gettext_lazy(
        "Leave this empty for a clue that is %(status)s, or correct “%(other)s”.")),
    "case_number": ("required", gettext_lazy(
        "Give the case number when “%(other)s” is 是.")),
    "no_case": ("not_allowed", gettext_lazy(
        "A case number needs “%(other)s” to be 是: correct one of the two.")),
    "too_long": ("too_long", gettext_lazy(
        "The text has %(length)s characters; at most %(max)s fit.")),
}  # fmt: skip

Progress = Callable[[int, int], None]


@lru_cache(maxsize=4096, typed=True)  # the same labels and unit names come back every row
def _key(value) -> str:
    """The form labels and headers are compared in: folded script and width, no spaces."""
    return re.sub(r"[\s*]", "", fold_text(str(value)))


def _lookup(labels: dict, aliases: dict | None = None) -> dict[str, str]:
    table = {_key(label): code for code, label in labels.items()}
    return table | {_key(label): code for label, code in (aliases or {}).items()}


UMBRELLA_ALIASES = {"保护伞/腐败": Category.UMBRELLA, "腐败": Category.UMBRELLA}
CHOICES = {
    SOURCE: (_lookup(SOURCE_LABELS), SOURCE_LABELS.values()),
    CATEGORY: (_lookup(CATEGORY_LABELS, UMBRELLA_ALIASES), CATEGORY_LABELS.values()),
    STATUS: (_lookup(STATUS_LABELS), STATUS_LABELS.values()),
    FINDING: (_lookup(FINDING_LABELS), FINDING_LABELS.values()),
    LED_TO_CASE: ({YES: True, NO: False, "true": True, "false": False}, [YES, NO]),
}


@dataclass(frozen=True)
class LedgerError:
    """One problem: `code` for programs, `message` (translated) for people."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None  # the Excel row number
    column: str = ""  # the header, as in HEADERS
    value: str = ""

    def __str__(self) -> str:
        where = {"sheet": self.sheet, "row": self.row, "column": self.column}
        if self.row and self.column:
            text = _("Sheet “%(sheet)s”, row %(row)s, “%(column)s”: %(problem)s")
        elif self.row:
            text = _("Sheet “%(sheet)s”, row %(row)s: %(problem)s")
        elif self.sheet:
            text = _("Sheet “%(sheet)s”: %(problem)s")
        else:
            return self.message
        return text % {**where, "problem": self.message}


@dataclass
class ImportResult:
    created: int = 0
    skipped_same: int = 0
    errors: list[LedgerError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _clean(value: str) -> str:
    """Text as a cell keeps it: no control characters, \n line ends, no outer spaces."""
    return ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"\r\n?", "\n", value or "")).strip()
