"""Reading a candidate list (候选人名单, DESIGN §6): 姓名, 身份证号, 村/单位, 拟任职务, in either
script, any order, extra columns kept. Every problem is collected and named (sheet, row,
column, value, fix) before anything is screened or written.

An ID number whose check character does not agree is accepted: it is the typing slip the
matcher is built to see through, and the reasons say so. One that is not 15 or 18 characters
of digits (and a final X) is refused: there is nothing to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from saohei.core.ledger_common import (
    DAMAGED,
    MAX_BYTES,
    NOT_OPENED,
    ImportResult,
    SheetChecker,
    problem,
    read_sheet,
    shown,
    with_ledger_file,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.entities.matching import parse_id

NAME, ID_NUMBER, PLACE, POSITION = "姓名", "身份证号", "村/单位", "拟任职务"
HEADERS = [NAME, ID_NUMBER, PLACE, POSITION]
ALIASES = {
    "身份证号码": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "村": PLACE,
    "单位": PLACE,
    "村(社区)": PLACE,
    "村（社区）": PLACE,
    "所在村": PLACE,
    "工作单位": PLACE,
    "村/社区": PLACE,
    "拟任职位": POSITION,
    "职务": POSITION,
    "拟任岗位": POSITION,
}
MAX_ROWS = 50_000
MAX_LENGTH = {NAME: 50, PLACE: 200, POSITION: 100}

MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy("The first sheet is empty: no header row, no names.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no candidates under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The list has more than %(max)s candidates: split it into several files.")),
    "bad_id": ("bad_id_number", gettext_lazy(
        "“%(value)s” is not a resident ID number: write the 18 digits (the last may be X) or "
        "the old 15 digits.")),
    "duplicate_row": ("duplicate_row", gettext_lazy(
        "Row %(first)s already lists this ID number: list each candidate once.")),
}  # fmt: skip


@dataclass
class CandidateRow:
    line: int
    name: str
    id_number: str
    place: str
    position: str
    cells: list  # every cell of the row as given (for the result sheet)


class _Checker(SheetChecker):
    headers, key_header, messages, max_length = HEADERS, NAME, MESSAGES, MAX_LENGTH
    aliases = ALIASES

    def __init__(self, sheet, epoch):
        super().__init__(sheet, epoch)
        self.header_cells: list[str] = []
        self.seen: dict[str, int] = {}

    def read_headers(self, values: tuple, line: int) -> bool:
        self.header_cells = [shown(v) if v is not None else "" for v in values]
        while self.header_cells and not self.header_cells[-1]:
            self.header_cells.pop()
        return super().read_headers(values, line)

    def row(self, values: tuple, line: int) -> CandidateRow | None:
        before = len(self.errors)
        raw = self.cells(values)
        name = self.text(line, NAME, raw(NAME), required=True)
        id_number = self.id_number(line, raw(ID_NUMBER))
        place = self.text(line, PLACE, raw(PLACE)) or ""
        position = self.text(line, POSITION, raw(POSITION)) or ""
        if len(self.errors) > before:
            return None
        first = self.seen.setdefault(id_number, line)
        if first != line:
            self.error("duplicate_row", line, ID_NUMBER, raw(ID_NUMBER), first=first)
            return None
        width = max(len(self.header_cells), len(values))
        cells = [shown(v) if v is not None else "" for v in values][:width]
        return CandidateRow(line, name, id_number, place, position, cells)

    def id_number(self, line, value):
        if value is None:
            return self.error("required", line, ID_NUMBER)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell: Excel keeps at most 15 digits exactly
        info = parse_id(str(value))
        if info is None:
            return self.error("bad_id", line, ID_NUMBER, value)
        return info.id18


@dataclass
class CandidateList(ImportResult):
    rows: list[CandidateRow] | None = None
    headers: list[str] | None = None
    sheet: str = ""


def read_candidates(fileobj) -> CandidateList:
    """The checked rows of a candidate list (a path or a binary file); `errors` lists every
    problem, and then `rows` is empty."""

    def work(fh, name):
        try:
            wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
        except NOT_OPENED:
            return CandidateList(errors=[problem(MESSAGES, "unreadable")])
        try:
            ws = wb.worksheets[0]
            checker = _Checker(ws.title, wb.epoch)
            try:
                rows, _count = read_sheet(ws, checker, None, MAX_ROWS)
            except DAMAGED:
                checker.error("unreadable")
        finally:
            wb.close()
        if checker.errors:
            return CandidateList(errors=checker.errors)
        return CandidateList(rows=rows, headers=checker.header_cells, sheet=ws.title)

    result = with_ledger_file(fileobj, MAX_BYTES, MESSAGES, work)
    if not isinstance(result, CandidateList):
        result = CandidateList(errors=result.errors)
    return result
