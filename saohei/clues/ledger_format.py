"""The clue ledger's format (DESIGN §6): columns, accepted values, per-status rules, and the
messages an import gives. Shared by import (ledger.py) and export (ledger_export.py)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from saohei.core.ledger_common import (  # noqa: F401 (the clue ledger's names for them)
    HEADER_SCAN_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    PROGRESS_EVERY,
    ImportResult,
    LedgerError,
    Progress,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.core.ledger_common import clean as _clean  # noqa: F401 (ledger_export)
from saohei.core.ledger_common import key as _key

from .choices import Category, Finding, Source, Status

# The columns, in order (DESIGN §6). They are the format itself, not UI text.
HEADERS = ["线索编号", "受理日期", "线索来源", "线索类别", "涉及行业", "被反映对象", "简要内容"]
HEADERS += ["承办单位", "办理期限", "办理状态", "办结日期", "核查结果", "是否立案", "案件编号"]
(NUMBER, RECEIVED_ON, SOURCE, CATEGORY, INDUSTRY, SUBJECTS, SUMMARY, UNIT, DEADLINE, STATUS,
 CONCLUDED_ON, FINDING, LED_TO_CASE, CASE_NUMBER) = HEADERS  # fmt: skip

BATCH_SIZE = 1000  # clues per bulk insert
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
MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy("The first sheet is empty: no header row, no clues.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no clue rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s clue rows: split it into several files.")),
    "bad_number": ("bad_number", gettext_lazy(
        "“%(value)s” is not a clue number: write it like XS2019-0057 (XS, the year, a hyphen, "
        "the sequence number).")),
    "duplicate_number": ("duplicate_number", gettext_lazy(
        "%(value)s is already in row %(first)s: each clue has one row.")),
    "number_taken": ("number_conflict", gettext_lazy(
        "%(value)s is already used by another clue: correct the number.")),
    "date_order": ("date_order", gettext_lazy(
        "%(value)s is before the date received, %(received)s.")),
    "unknown_industry": ("unknown_industry", gettext_lazy(
        "“%(value)s” is not in the list of industries: write one of %(accepted)s (the office "
        "head can add industries to the list).")),
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
}  # fmt: skip


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
