"""The case ledger's columns, labels, limits and messages (docs/case-ledger.md)."""

from __future__ import annotations

import re
from collections import namedtuple
from decimal import Decimal

from django.utils.translation import gettext_lazy

from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.core.ledger_common import (
    key,
    problem,
)

from .choices import CaseKind, CheckPart, ClosingReason, Stage

# The columns, in order. They are the format itself, not UI text.
HEADERS = ["案件编号", "案件名称", "案件类型", "涉嫌罪名", "立案日期", "立案单位", "关联线索"]
HEADERS += ["办案阶段", "移送审查起诉日期", "检察院", "移送审判日期", "法院", "办结日期"]
HEADERS += ["结案方式", "犯罪嫌疑人人数", "典型案例", "追缴原油(吨)", "查犯罪", "查保护伞"]
HEADERS += ["查失职"]
(NUMBER, NAME, KIND, CHARGES, OPENED_ON, OPENING_UNIT, CLUES, STAGE, PROSECUTED_ON,
 PROCURATORATE, INDICTED_ON, COURT, CLOSED_ON, CLOSING_REASON, SUSPECTS, TYPICAL, CRUDE_OIL,
 CHECK_CRIME, CHECK_UMBRELLA, CHECK_FAILURE) = HEADERS  # fmt: skip
CHECK_COLUMNS = {
    CheckPart.CRIME: CHECK_CRIME,
    CheckPart.UMBRELLA: CHECK_UMBRELLA,
    CheckPart.FAILURE: CHECK_FAILURE,
}

NUMBER_KIND = "AJ"
NUMBER_RE = re.compile(r"AJ(\d{4})-(\d{1,6})")
BATCH_SIZE = 500  # cases per bulk insert
MAX_LENGTH = {NAME: 200, CHECK_CRIME: 2000, CHECK_UMBRELLA: 2000, CHECK_FAILURE: 2000}
MAX_SUSPECTS = 10_000
MAX_TONNES = Decimal("9999999.999")  # the field's 10 digits, 3 of them decimals
TONNE = Decimal("0.001")
YES, NO = "是", "否"

KIND_LABELS = {
    CaseKind.GANG_ORG: "涉黑组织", CaseKind.EVIL_GROUP: "恶势力犯罪集团",
    CaseKind.EVIL_GANG: "恶势力团伙", CaseKind.ORDINARY: "一般涉恶",
    CaseKind.UMBRELLA: "涉黑涉恶腐败和保护伞",
}  # fmt: skip
STAGE_LABELS = {
    Stage.INVESTIGATION: "侦查", Stage.PROSECUTION: "审查起诉", Stage.TRIAL: "审判",
    Stage.CLOSED: "办结",
}  # fmt: skip
CLOSING_LABELS = {
    ClosingReason.JUDGMENT: "判决生效", ClosingReason.NOT_PROSECUTED: "不起诉",
    ClosingReason.WITHDRAWN: "撤销案件", ClosingReason.DISCIPLINE: "纪律审查终结",
    ClosingReason.OTHER: "其他",
}  # fmt: skip
KIND_ALIASES = {"涉黑": CaseKind.GANG_ORG, "保护伞": CaseKind.UMBRELLA, "腐败": CaseKind.UMBRELLA}
STAGE_ALIASES = {"审查调查": Stage.INVESTIGATION, "已办结": Stage.CLOSED, "结案": Stage.CLOSED}

# Which of the stage columns each 办案阶段 needs and allows. At 办结 the procuratorate and
# court columns are optional (a case may close at any stage) but come in pairs.
PROSECUTION_COLUMNS = (PROSECUTED_ON, PROCURATORATE)
TRIAL_COLUMNS = (INDICTED_ON, COURT)
CLOSING_COLUMNS = (CLOSED_ON, CLOSING_REASON)
STAGE_COLUMNS = PROSECUTION_COLUMNS + TRIAL_COLUMNS + CLOSING_COLUMNS
STAGE_NEEDS = {
    Stage.INVESTIGATION: (),
    Stage.PROSECUTION: PROSECUTION_COLUMNS,
    Stage.TRIAL: PROSECUTION_COLUMNS + TRIAL_COLUMNS,
    Stage.CLOSED: CLOSING_COLUMNS,
}
STAGE_ALLOWS = {**STAGE_NEEDS, Stage.CLOSED: STAGE_COLUMNS}
PARTNER = {PROSECUTED_ON: PROCURATORATE, PROCURATORATE: PROSECUTED_ON, INDICTED_ON: COURT}
PARTNER[COURT] = INDICTED_ON

# name: (code, message), besides the ones every ledger has (saohei.core.ledger_common).
MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy("The first sheet is empty: no header row, no cases.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no case rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s case rows: split it into several files.")),
    "bad_number": ("bad_number", gettext_lazy(
        "“%(value)s” is not a case number: write it like AJ2019-0012 (AJ, the year, a hyphen, "
        "the sequence number), or leave the cell empty to have the case numbered.")),
    "duplicate_number": ("duplicate_number", gettext_lazy(
        "%(value)s is already in row %(first)s: each case has one row.")),
    "duplicate_case": ("duplicate_case", gettext_lazy(
        "Row %(first)s has a case of the same name, opened on the same day by the same unit: "
        "each case has one row.")),
    "same_case_held": ("number_conflict", gettext_lazy(
        "Case %(number)s, of the same name and opened on the same day by the same unit, is "
        "already held with a different %(columns)s: leave the row out of the file, or give "
        "the case a name of its own if it is another case.")),
    "number_taken": ("number_conflict", gettext_lazy(
        "%(value)s is already used by another case: correct the number, or leave the cell "
        "empty to have the case numbered.")),
    "date_order": ("date_order", gettext_lazy(
        "%(value)s is before “%(other)s” (%(earlier)s): a case is opened, handed to the "
        "procuratorate, handed to the court and closed in that order.")),
    "unknown_charge": ("unknown_charge", gettext_lazy(
        "“%(value)s” is not in the list of charges: write charges from %(accepted)s, "
        "separated by 、 (the office head can add charges to the list).")),
    "unknown_clue": ("clue_not_found", gettext_lazy(
        "Clue %(value)s is not among the clues you can see: check the number (it looks like "
        "XS2019-0057) and separate several numbers with 、.")),
    "wrong_opener": ("wrong_unit_kind", gettext_lazy(
        "“%(value)s” does not open cases of the kind %(kind)s: write one of %(accepted)s.")),
    "wrong_unit_kind": ("wrong_unit_kind", gettext_lazy(
        "“%(value)s” is not a %(kind)s: write one of %(accepted)s.")),
    "needed_for_stage": ("required_for_stage", gettext_lazy(
        "Fill this in for a case at the %(stage)s stage.")),
    "not_for_stage": ("not_allowed", gettext_lazy(
        "Leave this empty for a case at the %(stage)s stage, or correct “%(other)s”.")),
    "needed_with": ("required_for_stage", gettext_lazy(
        "Fill this in as well, since “%(other)s” is filled.")),
    "checks_not_for_kind": ("not_allowed", gettext_lazy(
        "Only gang-type cases (%(kinds)s) have the three checks: leave this empty, or correct "
        "“%(other)s”.")),
    "checks_missing": ("checks_missing", gettext_lazy(
        "A gang-type case closes only when one case, three investigations is complete: write "
        "what the check of %(check)s found.")),
    "bad_count": ("not_a_number", gettext_lazy(
        "“%(value)s” is not a number of people: write a whole number such as 9, or leave the "
        "cell empty.")),
    "bad_tonnes": ("not_a_number", gettext_lazy(
        "“%(value)s” is not a number of tonnes: write a number such as 12.5 (at most three "
        "decimals), or leave the cell empty.")),
    "before_clue": ("date_order", gettext_lazy(
        "%(value)s is before a clue of “%(other)s” was received (%(earliest)s): a case is "
        "opened from clues already received.")),
    "not_visible": ("not_permitted", gettext_lazy(
        "You could not see this case once imported (umbrella and corruption cases are read by "
        "the office head only): have the office head import it.")),
}  # fmt: skip


def _lookup(labels: dict, aliases: dict | None = None) -> dict[str, str]:
    table = {key(label): code for code, label in labels.items()}
    return table | {key(label): code for label, code in (aliases or {}).items()}


CHOICES = {
    KIND: (_lookup(KIND_LABELS, KIND_ALIASES), KIND_LABELS.values()),
    STAGE: (_lookup(STAGE_LABELS, STAGE_ALIASES), STAGE_LABELS.values()),
    CLOSING_REASON: (_lookup(CLOSING_LABELS), CLOSING_LABELS.values()),
    TYPICAL: ({YES: True, NO: False, "true": True, "false": False}, [YES, NO]),
}

# One checked ledger row: its Excel row number, its case number (None: to be numbered), the
# number of suspects (informational: neither stored nor compared), then the case's content.
CONTENT = (
    "name kind charges opened_on opening_unit_id clues stage prosecuted_on procuratorate_id "
    "indicted_on court_id closed_on closing_reason is_typical crude_oil checks"
)
CONTENT_HEADERS = [NAME, KIND, CHARGES, OPENED_ON, OPENING_UNIT, CLUES, STAGE, PROSECUTED_ON]
CONTENT_HEADERS += [PROCURATORATE, INDICTED_ON, COURT, CLOSED_ON, CLOSING_REASON, TYPICAL]
CONTENT_HEADERS += [CRUDE_OIL, "、".join(CHECK_COLUMNS.values())]
_Row = namedtuple("_Row", "line number suspects " + CONTENT)


def _content(row: _Row) -> tuple:
    return tuple(row)[3:]


def _identity(row: _Row) -> tuple:
    """What tells a case without a number in the ledger from the others."""
    return row.name, row.opened_on, row.opening_unit_id


def _problem(name, sheet="", row=None, column="", value=None, **params):
    return problem(MESSAGES, name, sheet, row, column, value, **params)
