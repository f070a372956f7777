"""What every ledger (台账) import shares: the limits, how headers and labels are compared
(simplified or traditional, any width), how dates are read, the problems a file as a whole
can have, and a checker that reads the first sheet row by row collecting every problem as a
LedgerError that names sheet, row, column, the value and the fix.

Each ledger (saohei.clues.ledger, saohei.cases.ledger) brings its columns, its messages and
its row rules; see docs/ledger-format.md and docs/case-ledger.md.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from .normalize import fold_text

MAX_BYTES = 50 * 1024 * 1024  # checked before the file is opened as a workbook
MAX_ROWS = 200_000
PROGRESS_EVERY = 1000  # rows between progress calls
HEADER_SCAN_ROWS = 10  # hand-made ledgers often have a title row or two above the headers

Progress = Callable[[int, int], None]

# name: (code, message), the problems every ledger can have. Codes are for programs and
# tests; messages for people. Each ledger adds its own (see the clue and case ledgers).
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
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s, in any order, "
        "in simplified or traditional characters.")),
    "duplicate_header": ("duplicate_header", gettext_lazy(
        "The header “%(column)s” appears twice: keep one of the two columns.")),
    "required": ("required", gettext_lazy("This cell must not be empty.")),
    "number_differs": ("number_conflict", gettext_lazy(
        "%(value)s is already held with a different %(columns)s: correct the row or leave it "
        "out of the file.")),
    "bad_date": ("bad_date", gettext_lazy(
        "“%(value)s” is not a date: write a date such as 2019-06-03, 2019/6/3 or 2019年6月3日, "
        "or use an Excel date cell.")),
    "future_date": ("future_date", gettext_lazy("%(value)s is in the future.")),
    "invalid_choice": ("invalid_choice", gettext_lazy(
        "“%(value)s” is not accepted here: write one of %(accepted)s.")),
    "unknown_unit": ("unknown_unit", gettext_lazy(
        "“%(value)s” is not a member unit of your jurisdiction: write one of %(accepted)s.")),
    "ambiguous_unit": ("ambiguous_unit", gettext_lazy(
        "“%(value)s” could be any of %(accepted)s: write the full name.")),
    "too_long": ("too_long", gettext_lazy(
        "The text has %(length)s characters; at most %(max)s fit.")),
}  # fmt: skip


@dataclass(frozen=True)
class LedgerError:
    """One problem: `code` for programs, `message` (translated) for people."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None  # the Excel row number
    column: str = ""  # the header, as in the ledger's HEADERS
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


def problem(messages: dict, name: str, sheet="", row=None, column="", value=None, **params):
    """The LedgerError `name` of `messages`, its message filled in."""
    code, message = messages[name]
    value = shown(value)
    params = {"value": value, "column": column, "row": row, **params}
    return LedgerError(code, str(message) % params, sheet, row, column, value)


# Values --------------------------------------------------------------------------------------


@lru_cache(maxsize=4096, typed=True)  # the same labels and unit names come back every row
def key(value) -> str:
    """The form labels and headers are compared in: folded script and width, no spaces."""
    return re.sub(r"[\s*]", "", fold_text(str(value)))


def clean(value: str) -> str:
    """Text as a cell keeps it: no control characters, \n line ends, no outer spaces."""
    return ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"\r\n?", "\n", value or "")).strip()


def shown(value) -> str:
    """A cell's value as an error message quotes it."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()[:100]


def listing(names: Iterable[str], limit: int = 30) -> str:
    names = list(names)
    return "、".join(names[:limit]) + ("…" if len(names) > limit else "")


_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


def to_date(value, epoch) -> datetime.date | None:
    """An Excel date cell or serial number, or text such as 2019-06-03, 2019/6/3,
    2019年6月3日 or 20190603; None when it is none of these (or before 1980)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = text.removesuffix(".0")
        if 1 <= value < 2958466 and not re.fullmatch(r"\d{8}", text):
            return from_excel(value, epoch).date()  # an Excel serial date
    match = _DATE_RE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        day = datetime.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        return None
    return day if day and day.year >= 1980 else None


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bump_sequences(kind: str, numbers: Iterable[str]) -> None:
    """Numbers such as XS2019-0057 taken from a ledger: raise the counters of
    saohei.core.numbering so that it never hands one of them out again. Locks the counters
    for the rest of the caller's transaction."""
    from .models import NumberSequence

    highest: dict[int, int] = {}
    for number in numbers:
        year, seq = (int(p) for p in number.removeprefix(kind).split("-"))
        highest[year] = max(highest.get(year, 0), seq)
    for year, seq in sorted(highest.items()):
        NumberSequence.objects.bulk_create(
            [NumberSequence(kind=kind, year=year, last=0)], ignore_conflicts=True
        )
        NumberSequence.objects.filter(kind=kind, year=year, last__lt=seq).update(last=seq)


class Rollback(Exception):
    """Raised inside the import's transaction when writing found a problem."""


# The file ------------------------------------------------------------------------------------

# What a damaged or foreign file raises (xml.etree's ParseError is a SyntaxError).
DAMAGED = (zipfile.BadZipFile, OSError, SyntaxError, EOFError, zlib.error)
NOT_OPENED = (*DAMAGED, InvalidFileException, KeyError, ValueError, TypeError)


def file_size(fileobj) -> int:
    if isinstance(fileobj, str | os.PathLike):
        return os.path.getsize(fileobj)
    if getattr(fileobj, "size", None) is not None:  # Django's UploadedFile
        return fileobj.size
    position = fileobj.tell()
    end = fileobj.seek(0, os.SEEK_END)
    fileobj.seek(position)
    return end - position


def file_problem(fh) -> str | None:
    """The name of the message for a file that is not an .xlsx workbook, or None."""
    position = fh.tell()
    magic = fh.read(8)
    fh.seek(position)
    if not magic:
        return "empty_file"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003
        return "xls"
    if not magic.startswith(b"PK\x03\x04"):
        return "not_xlsx"
    return None


def with_ledger_file(
    fileobj, max_bytes: int, messages: dict, work: Callable[..., ImportResult]
) -> ImportResult:
    """Measure `fileobj` (a path or a binary file such as an upload) without reading it,
    refuse one too large or not an .xlsx workbook, else return `work(fh, file_name)`."""
    opened = isinstance(fileobj, str | os.PathLike)
    name = os.path.basename(str(fileobj if opened else getattr(fileobj, "name", "") or ""))
    size = file_size(fileobj)
    if size > max_bytes:
        params = {"size": round(size / 2**20, 1), "max": max_bytes // 2**20}
        return ImportResult(errors=[problem(messages, "too_large", **params)])
    fh = open(fileobj, "rb") if opened else fileobj  # noqa: SIM115 (closed below)
    try:
        bad = file_problem(fh)
        if bad:
            return ImportResult(errors=[problem(messages, bad)])
        return work(fh, name)
    finally:
        if opened:
            fh.close()


# The sheet -----------------------------------------------------------------------------------

BAD = object()  # a cell that could not be read (its error is recorded already)


class SheetChecker:
    """Reads a ledger sheet's header row and checks its rows one at a time, collecting every
    problem. A ledger subclasses it with its HEADERS, its messages (which must include
    empty_sheet, no_rows and too_many_rows besides the common ones) and `row()`."""

    headers: list[str] = []
    key_header = ""  # the header that marks the header row among the first rows
    optional: list[str] = []  # headers a file may have (not an error when absent)
    aliases: dict[str, str] = {}  # other headers hand-made sheets use: {alias: header}
    messages: dict = MESSAGES
    choices: dict = {}  # header: ({folded label: value}, accepted labels)
    max_length: dict = {}  # header: characters

    def __init__(self, sheet: str, epoch):
        self.sheet, self.epoch = sheet, epoch
        self.today = timezone.localdate()
        self.errors: list[LedgerError] = []
        self.columns: dict[str, int] = {}

    def error(self, name, row=None, column="", value=None, **params) -> object:
        self.errors.append(problem(self.messages, name, self.sheet, row, column, value, **params))
        return BAD

    def read_headers(self, values: tuple, line: int) -> bool:
        wanted = {key(h): h for h in [*self.headers, *self.optional]}
        wanted |= {key(alias): h for alias, h in self.aliases.items()}
        for index, value in enumerate(values):
            header = wanted.get(key(value)) if value is not None else None
            if header in self.columns:
                self.error("duplicate_header", line, header, value)
            elif header is not None:  # other columns are kept in the file, ignored here
                self.columns[header] = index
        for header in self.headers:
            if header not in self.columns:
                params = {"headers": "、".join(self.headers), "optional": "、".join(self.optional)}
                self.error("missing_header", line, header, **params)
        return not self.errors

    def is_blank(self, values: tuple) -> bool:
        return all(
            i >= len(values) or values[i] is None or str(values[i]).strip() == ""
            for i in self.columns.values()
        )

    def cells(self, values: tuple) -> Callable[[str], object]:
        """The row's cell under a header, None when empty."""

        def raw(header):
            index = self.columns[header]
            value = values[index] if index < len(values) else None
            return None if value is None or str(value).strip() == "" else value

        return raw

    def row(self, values: tuple, line: int):
        """The checked row, or None when it has problems (recorded in `errors`)."""
        raise NotImplementedError

    def date(self, line, column, value, *, required=False, future_ok=False):
        if value is None:
            return self.error("required", line, column) if required else None
        day = to_date(value, self.epoch)
        if day is None:
            return self.error("bad_date", line, column, value)
        if day > self.today and not future_ok:
            return self.error("future_date", line, column, day)
        return day

    def choice(self, line, column, value, *, required=False):
        if value is None:
            return self.error("required", line, column) if required else None
        table, accepted = self.choices[column]
        code = table.get(key(value))
        if code is None:
            return self.error("invalid_choice", line, column, value, accepted="、".join(accepted))
        return code

    def text(self, line, column, value, *, required=False):
        if value is None:
            return self.error("required", line, column) if required else None
        text = clean(value if isinstance(value, str) else shown(value))
        if len(text) > self.max_length[column]:
            limit = self.max_length[column]
            return self.error("too_long", line, column, text, length=len(text), max=limit)
        return text


def read_sheet(ws, checker: SheetChecker, progress: Progress | None, max_rows: int = MAX_ROWS):
    """The checked rows of the sheet, and how many data rows it has. The header row is the
    first of the first HEADER_SCAN_ROWS rows that holds `checker.key_header`, else the first
    filled row; blank rows are skipped."""
    lines = enumerate(ws.iter_rows(values_only=True), start=1)
    head = list(islice(lines, HEADER_SCAN_ROWS))
    filled = [(n, v) for n, v in head if any(x is not None and str(x).strip() for x in v)]
    if not filled:
        checker.error("empty_sheet")
        return [], 0
    wanted = key(checker.key_header)
    header = next((hv for hv in filled if any(key(x) == wanted for x in hv[1] if x)), filled[0])
    if not checker.read_headers(header[1], header[0]):
        return [], 0
    # The sheet's own dimension, when it has one; 0 ("not known") until the end otherwise.
    estimate = max((ws.max_row or 0) - header[0], 0)
    rows, count = [], 0
    for line, values in chain((hv for hv in head if hv[0] > header[0]), lines):
        if checker.is_blank(values):
            continue
        count += 1
        if count > max_rows:
            checker.error("too_many_rows", max=max_rows)
            return [], count
        row = checker.row(values, line)
        if row is not None:
            rows.append(row)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, 2 * estimate if estimate >= count else 0)
    if count == 0:
        checker.error("no_rows", row=header[0])
    return rows, count


def read_workbook(
    fh,
    new_checker: Callable[[str, datetime.datetime], SheetChecker],
    progress: Progress | None,
    max_rows: int = MAX_ROWS,
    *,
    load=load_workbook,
) -> tuple[SheetChecker, list, int] | None:
    """Open the workbook in `fh` and read its first sheet, checked by the ledger's checker
    `new_checker(sheet title, the workbook's date epoch)`: (checker, checked rows, how many
    data rows), or None when `fh` does not open as a workbook. A sheet that turns out
    damaged while read is recorded on the checker as unreadable. `load` is openpyxl's
    load_workbook; a ledger passes the one it imported, so that its tests can replace it."""
    try:
        wb = load(fh, read_only=True, data_only=True, keep_links=False)
    except NOT_OPENED:
        return None
    rows, count = [], 0
    try:
        ws = wb.worksheets[0]
        checker = new_checker(ws.title, wb.epoch)
        try:
            rows, count = read_sheet(ws, checker, progress, max_rows)
        except DAMAGED:
            checker.error("unreadable")
    finally:
        wb.close()
    return checker, rows, count


def write_progress(
    progress: Progress | None, done: int, total: int, every: int = PROGRESS_EVERY
) -> Callable[[int], None]:
    """Report `done` of `total` steps now (when there is a `progress` to call), and return
    `report(n)`, which counts n more steps done and reports every `every` steps and at the
    last one."""
    if progress:
        progress(done, total)

    def report(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if progress and (done // every > before // every or done == total):
            progress(done, total)

    return report
