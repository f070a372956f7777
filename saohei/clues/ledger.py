"""The clue ledger (线索台账, DESIGN §6): import from and export to .xlsx.

Import is all rows or none. Every row is read and checked first and every problem collected,
each naming sheet, row, column, the value and what would be accepted; only a clean file is
written, in one transaction, with bulk inserts in batches, so a 100,000-row ledger imports
with bounded memory. Each new clue gets a history of moves (marked "imported") dated from the
ledger, so figures as of a past date see it as it stood then. A row whose number is already
held with the same content is skipped: importing a file twice changes nothing. Export goes
through the same projection, so an exported ledger imports back unchanged.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
import zipfile
import zlib
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.models import NumberSequence
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .choices import OPEN_STATUSES, Category, Status
from .ledger_export import PROJECTED, _projection, ledger_rows, write_ledger  # noqa: F401
from .ledger_format import (
    BATCH_SIZE,
    CASE_NUMBER,
    CATEGORY,
    CHOICES,
    CONCLUDED_ON,
    DATED,
    DEADLINE,
    FINDING,
    HAS_UNIT,
    HEADER_SCAN_ROWS,
    HEADERS,
    INDUSTRY,
    LED_TO_CASE,
    MAX_BYTES,
    MAX_LENGTH,
    MAX_ROWS,
    MESSAGES,
    NEEDS_DATE,
    NEEDS_FINDING,
    NEEDS_UNIT,
    NUMBER,
    NUMBER_KIND,
    NUMBER_RE,
    PROGRESS_EVERY,
    RECEIVED_ON,
    SOURCE,
    STATUS,
    STATUS_LABELS,
    SUBJECTS,
    SUMMARY,
    UNIT,
    WITH_FINDING,
    ImportResult,
    LedgerError,
    Progress,
    _clean,
    _key,
)
from .models import Clue, Industry, Move
from .services import search_text_for


def _problem(name, sheet="", row=None, column="", value=None, **params) -> LedgerError:
    code, message = MESSAGES[name]
    shown = _shown(value)
    params = {"value": shown, "column": column, "row": row, **params}
    return LedgerError(code, str(message) % params, sheet, row, column, shown)


# One checked ledger row: its Excel row number, then the clue's ledger content.
_Row = namedtuple(
    "_Row",
    "line number received_on source category industry_id subjects summary unit_id deadline "
    "status concluded_on finding led_to_case case_number",
)


def _content(row: _Row) -> tuple:
    return tuple(row)[1:]


_BAD = object()  # a cell that could not be read (its error is recorded already)


def _shown(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()[:100]


def _listing(names: Iterable[str], limit: int = 30) -> str:
    names = list(names)
    return "、".join(names[:limit]) + ("…" if len(names) > limit else "")


# Reading -------------------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


def _to_date(value, epoch) -> datetime.date | None:
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


class _Checker:
    """Checks one row at a time against the lists of the importing user's jurisdiction."""

    def __init__(self, user, sheet: str, epoch):
        self.sheet, self.epoch = sheet, epoch
        self.today = timezone.localdate()
        self.errors: list[LedgerError] = []
        self.columns: dict[str, int] = {}
        self.seen: dict[str, int] = {}
        industries = Industry.objects.values_list("pk", "name", "is_active")
        self.industries = {_key(name): pk for pk, name, _active in industries}
        self.industry_names = [name for _pk, name, active in industries if active]
        units = Unit.objects.filter(jurisdiction_id__in=user.jurisdiction_ids).exclude(
            kind=UnitKind.OFFICE
        )
        self.units: dict[str, set[int]] = {}
        self.unit_kind: dict[int, str] = {}
        self.unit_names, self.discipline_names = [], []
        for pk, name, short, kind, active in units.values_list(
            "pk", "name", "short_name", "kind", "is_active"
        ):
            self.unit_kind[pk] = kind
            for label in {name, short} - {""}:
                self.units.setdefault(_key(label), set()).add(pk)
            if active:
                self.unit_names.append(name)
                if kind == UnitKind.DISCIPLINE:
                    self.discipline_names.append(name)

    def error(self, name, row=None, column="", value=None, **params) -> object:
        self.errors.append(_problem(name, self.sheet, row, column, value, **params))
        return _BAD

    def read_headers(self, values: tuple, line: int) -> bool:
        wanted = {_key(h): h for h in HEADERS}
        for index, value in enumerate(values):
            header = wanted.get(_key(value)) if value is not None else None
            if header in self.columns:
                self.error("duplicate_header", line, header, value)
            elif header is not None:  # other columns are kept in the file, ignored here
                self.columns[header] = index
        for header in HEADERS:
            if header not in self.columns:
                self.error("missing_header", line, header, headers="、".join(HEADERS))
        return not self.errors

    def is_blank(self, values: tuple) -> bool:
        return all(
            i >= len(values) or values[i] is None or str(values[i]).strip() == ""
            for i in self.columns.values()
        )

    def row(self, values: tuple, line: int) -> _Row | None:
        before = len(self.errors)

        def raw(header):
            index = self.columns[header]
            value = values[index] if index < len(values) else None
            return None if value is None or str(value).strip() == "" else value

        number = self.number(line, raw(NUMBER))
        received = self.date(line, RECEIVED_ON, raw(RECEIVED_ON), required=True)
        source = self.choice(line, SOURCE, raw(SOURCE), required=True)
        category = self.choice(line, CATEGORY, raw(CATEGORY), required=True)
        industry = self.industry(line, raw(INDUSTRY))
        subjects = self.text(line, SUBJECTS, raw(SUBJECTS), required=True)
        summary = self.text(line, SUMMARY, raw(SUMMARY), required=True)
        unit = self.unit(line, raw(UNIT))
        deadline = self.date(line, DEADLINE, raw(DEADLINE), future_ok=True)
        status = self.choice(line, STATUS, raw(STATUS), required=True)
        concluded = self.date(line, CONCLUDED_ON, raw(CONCLUDED_ON))
        finding = self.choice(line, FINDING, raw(FINDING))
        led = self.choice(line, LED_TO_CASE, raw(LED_TO_CASE))
        case_number = self.text(line, CASE_NUMBER, raw(CASE_NUMBER))
        if status is not _BAD:
            for column, value, needed, allowed in (
                (UNIT, unit, NEEDS_UNIT, HAS_UNIT),
                (DEADLINE, deadline, OPEN_STATUSES, HAS_UNIT),
                (CONCLUDED_ON, concluded, NEEDS_DATE, DATED),
                (FINDING, finding, NEEDS_FINDING, WITH_FINDING),
            ):
                params = {"status": STATUS_LABELS[status], "other": STATUS}
                if value is None and status in needed:
                    self.error("needed_for_status", line, column, **params)
                elif value not in (None, _BAD) and status not in allowed:
                    self.error("not_for_status", line, column, raw(column), **params)
        if category == Category.UMBRELLA and unit not in (None, _BAD) and not self.discipline(unit):
            self.error("umbrella", line, UNIT, raw(UNIT), accepted=_listing(self.discipline_names))
        if led is True and case_number is None:
            self.error("case_number", line, CASE_NUMBER, other=LED_TO_CASE)
        elif led in (None, False) and case_number not in (None, _BAD):
            self.error("no_case", line, CASE_NUMBER, case_number, other=LED_TO_CASE)
        for column, day in ((DEADLINE, deadline), (CONCLUDED_ON, concluded)):
            if received not in (None, _BAD) and day not in (None, _BAD) and day < received:
                self.error("date_order", line, column, day, received=_shown(received))
        if len(self.errors) > before:
            return None
        return _Row(
            line, number, received, source, category, industry, subjects, summary, unit,
            deadline, status, concluded, finding or "", bool(led), case_number or "",
        )  # fmt: skip

    def discipline(self, unit_id: int) -> bool:
        return self.unit_kind[unit_id] == UnitKind.DISCIPLINE

    def number(self, line, value):
        if value is None:
            return self.error("required", line, NUMBER)
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value))).upper()
        match = NUMBER_RE.fullmatch(text)
        if not match or int(match.group(2)) == 0:
            return self.error("bad_number", line, NUMBER, value)
        number = f"{NUMBER_KIND}{match.group(1)}-{int(match.group(2)):04d}"
        first = self.seen.setdefault(number, line)
        if first != line:
            return self.error("duplicate_number", line, NUMBER, value, first=first)
        return number

    def date(self, line, column, value, *, required=False, future_ok=False):
        if value is None:
            return self.error("required", line, column) if required else None
        day = _to_date(value, self.epoch)
        if day is None:
            return self.error("bad_date", line, column, value)
        if day > self.today and not future_ok:
            return self.error("future_date", line, column, day)
        return day

    def choice(self, line, column, value, *, required=False):
        if value is None:
            return self.error("required", line, column) if required else None
        table, accepted = CHOICES[column]
        code = table.get(_key(value))
        if code is None:
            return self.error("invalid_choice", line, column, value, accepted="、".join(accepted))
        return code

    def text(self, line, column, value, *, required=False):
        if value is None:
            return self.error("required", line, column) if required else None
        text = _clean(value if isinstance(value, str) else _shown(value))
        if len(text) > MAX_LENGTH[column]:
            limit = MAX_LENGTH[column]
            return self.error("too_long", line, column, text, length=len(text), max=limit)
        return text

    def industry(self, line, value):
        if value is None:
            return None
        pk = self.industries.get(_key(value))
        if pk is None:
            accepted = _listing(self.industry_names)
            return self.error("unknown_industry", line, INDUSTRY, value, accepted=accepted)
        return pk

    def unit(self, line, value):
        if value is None:
            return None
        found = self.units.get(_key(value), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            names = Unit.objects.filter(pk__in=found).values_list("name", flat=True)
            return self.error("ambiguous_unit", line, UNIT, value, accepted=_listing(names))
        accepted = _listing(self.unit_names)
        return self.error("unknown_unit", line, UNIT, value, accepted=accepted)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read(ws, checker: _Checker, progress: Progress | None) -> tuple[list[_Row], int]:
    """The checked rows of the first sheet, and how many data rows it has."""
    lines = enumerate(ws.iter_rows(values_only=True), start=1)
    head = list(islice(lines, HEADER_SCAN_ROWS))
    filled = [(n, v) for n, v in head if any(x is not None and str(x).strip() for x in v)]
    if not filled:
        checker.error("empty_sheet")
        return [], 0
    wanted = _key(NUMBER)
    header = next((hv for hv in filled if any(_key(x) == wanted for x in hv[1] if x)), filled[0])
    if not checker.read_headers(header[1], header[0]):
        return [], 0
    # The sheet's own dimension, when it has one; 0 ("not known") until the end otherwise.
    estimate = max((ws.max_row or 0) - header[0], 0)
    rows, count = [], 0
    for line, values in chain((hv for hv in head if hv[0] > header[0]), lines):
        if checker.is_blank(values):
            continue
        count += 1
        if count > MAX_ROWS:
            checker.error("too_many_rows", max=MAX_ROWS)
            return [], count
        row = checker.row(values, line)
        if row is not None:
            rows.append(row)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, 2 * estimate if estimate >= count else 0)
    if count == 0:
        checker.error("no_rows", row=header[0])
    return rows, count


def _against_database(rows: list[_Row], user, checker: _Checker) -> tuple[list[_Row], int]:
    """The rows not held yet, and how many are held with the same content already. A number
    held with other content, or outside the user's jurisdiction, is an error."""
    new, skipped = [], 0
    mine = set(user.jurisdiction_ids)
    for chunk in _chunks(rows, 500):
        numbers = [r.number for r in chunk]
        held = {c.number: c for c in Clue.objects.filter(number__in=numbers).only(*PROJECTED)}
        visible = set(
            Clue.objects.visible_to(user).filter(number__in=numbers).values_list("pk", flat=True)
        )
        for row in chunk:
            clue = held.get(row.number)
            if clue is None:
                new.append(row)
            elif clue.jurisdiction_id in mine and _projection(clue) == _content(row):
                skipped += 1
            elif clue.jurisdiction_id in mine and clue.pk in visible:
                pairs = zip(HEADERS, _projection(clue), _content(row), strict=True)
                columns = "、".join(h for h, theirs, ours in pairs if theirs != ours)
                checker.error("number_differs", row.line, NUMBER, row.number, columns=columns)
            else:  # what a clue the user may not see holds is not told
                checker.error("number_taken", row.line, NUMBER, row.number)
    return new, skipped


# Writing -------------------------------------------------------------------------------------


def _at(day: datetime.date, step: int) -> datetime.datetime:
    """09:00 local on `day`, a minute later per step, so the moves of one day keep order."""
    return datetime.datetime.combine(day, datetime.time(9, step), timezone.get_current_timezone())


def _history(clue_id: int, row: _Row, user, reason: str, today: datetime.date) -> list[Move]:
    """The moves that bring a clue to its ledger status on the ledger's dates: registered
    and (if a unit is named) assigned on the day received, accepted the next day (the same
    day if it ended then), concluded for the stage or concluded on 办结日期."""
    day0 = row.received_on
    steps = [(day0, Status.RECEIVED, "register")]
    if row.unit_id:
        steps.append((day0, Status.ASSIGNED, "assign"))
    if row.status in (Status.PARKED, Status.MERGED):
        steps.append((day0, row.status, "park" if row.status == Status.PARKED else "merge"))
    elif row.status not in (Status.RECEIVED, Status.ASSIGNED):
        end = row.concluded_on or today
        accepted = day0 + datetime.timedelta(days=1) if end > day0 else day0
        steps.append((accepted, Status.VERIFYING, "accept"))
        last = {Status.INTERIM: "interim", Status.CONCLUDED: "approve"}
        if row.status in DATED:
            step = last.get(row.status, "request_conclusion")
            steps.append((row.concluded_on or accepted, row.status, step))
    moves, before = [], ""
    for index, (day, status, step) in enumerate(steps):
        moves.append(
            Move(
                clue_id=clue_id,
                at=_at(day, index),
                action=step,
                from_status=before,
                to_status=status,
                actor=user,
                actor_unit_id=user.unit_id,
                unit_id=row.unit_id if index else None,
                reason=reason if index == 0 else "",
                data={"imported": True},
            )
        )
        before = status
    return moves


def _new_clue(row: _Row, user) -> Clue:
    fields = row._asdict()
    del fields["line"]
    fields["assigned_unit_id"] = unit_id = fields.pop("unit_id")
    clue = Clue(
        **fields,
        jurisdiction_id=user.unit.jurisdiction_id,
        registered_by=user,
        registering_unit_id=user.unit_id,
        assigned_on=row.received_on if unit_id else None,
    )
    clue.search_text = search_text_for(clue)
    return clue


def _bump_numbering(rows: list[_Row]) -> None:
    """numbering.next_number must never hand out an imported number again."""
    highest: dict[int, int] = {}
    for row in rows:
        year, seq = (int(p) for p in row.number.removeprefix(NUMBER_KIND).split("-"))
        highest[year] = max(highest.get(year, 0), seq)
    for year, seq in sorted(highest.items()):
        NumberSequence.objects.bulk_create(
            [NumberSequence(kind=NUMBER_KIND, year=year, last=0)], ignore_conflicts=True
        )
        NumberSequence.objects.filter(kind=NUMBER_KIND, year=year, last__lt=seq).update(last=seq)


class _Rollback(Exception):
    pass


def _write(rows, user, checker, report: Callable[[int], None], batch_size: int) -> None:
    _bump_numbering(rows)
    # The sequence rows are locked now: look again for numbers registered in the meantime.
    for chunk in _chunks(rows, 500):
        numbers = [r.number for r in chunk]
        taken = set(Clue.objects.filter(number__in=numbers).values_list("number", flat=True))
        for row in (r for r in chunk if r.number in taken):
            checker.error("number_taken", row.line, NUMBER, row.number)
    if checker.errors:
        raise _Rollback
    reason, today = _("Imported from the clue ledger"), timezone.localdate()
    for chunk in _chunks(rows, batch_size):
        clues = [_new_clue(row, user) for row in chunk]
        Clue.objects.bulk_create(clues)
        if any(c.pk is None for c in clues):  # a backend that does not return new ids
            numbers = [c.number for c in clues]
            ids = dict(Clue.objects.filter(number__in=numbers).values_list("number", "pk"))
            for clue in clues:
                clue.pk = ids[clue.number]
        moves = [
            m
            for c, r in zip(clues, chunk, strict=True)
            for m in _history(c.pk, r, user, reason, today)
        ]
        Move.objects.bulk_create(moves)
        report(len(chunk))


# Import --------------------------------------------------------------------------------------

# What a damaged or foreign file raises (xml.etree's ParseError is a SyntaxError).
_DAMAGED = (zipfile.BadZipFile, OSError, SyntaxError, EOFError, zlib.error)
_NOT_OPENED = (*_DAMAGED, InvalidFileException, KeyError, ValueError, TypeError)


def _file_size(fileobj) -> int:
    if isinstance(fileobj, str | os.PathLike):
        return os.path.getsize(fileobj)
    if getattr(fileobj, "size", None) is not None:  # Django's UploadedFile
        return fileobj.size
    position = fileobj.tell()
    end = fileobj.seek(0, os.SEEK_END)
    fileobj.seek(position)
    return end - position


def _file_problem(fh) -> LedgerError | None:
    position = fh.tell()
    magic = fh.read(8)
    fh.seek(position)
    if not magic:
        return _problem("empty_file")
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003
        return _problem("xls")
    if not magic.startswith(b"PK\x03\x04"):
        return _problem("not_xlsx")
    return None


def import_clue_ledger(
    fileobj, user, *, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> ImportResult:
    """Import the clue ledger in `fileobj` (a path, or a binary file such as an upload) as
    `user`: all rows or none, so when `errors` is not empty nothing was written.

    `progress(done, total)` is called every PROGRESS_EVERY rows. Each data row is one step
    when checked and one when written, so `total` is twice the number of data rows; while the
    file is still being read `total` is an estimate, or 0 when the sheet does not say.
    """
    if not user.has_perm("clues.import_clue") or user.unit is None:
        raise PermissionDenied(_("You may not import the clue ledger."))
    opened = isinstance(fileobj, str | os.PathLike)
    name = os.path.basename(str(fileobj if opened else getattr(fileobj, "name", "") or ""))
    size = _file_size(fileobj)
    if size > MAX_BYTES:
        too_large = _problem("too_large", size=round(size / 2**20, 1), max=MAX_BYTES // 2**20)
        return ImportResult(errors=[too_large])
    fh = open(fileobj, "rb") if opened else fileobj  # noqa: SIM115 (closed below)
    try:
        problem = _file_problem(fh)
        if problem:
            return ImportResult(errors=[problem])
        return _import_workbook(fh, user, name, progress, batch_size)
    finally:
        if opened:
            fh.close()


def _import_workbook(fh, user, name, progress, batch_size) -> ImportResult:
    try:
        wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except _NOT_OPENED:
        return ImportResult(errors=[_problem("unreadable")])
    try:
        ws = wb.worksheets[0]
        checker = _Checker(user, ws.title, wb.epoch)
        try:
            rows, count = _read(ws, checker, progress)
        except _DAMAGED:
            checker.error("unreadable")
    finally:
        wb.close()
    if not checker.errors:
        new, skipped = _against_database(rows, user, checker)
        del rows
    if checker.errors:
        return ImportResult(errors=checker.errors)
    done, total = count + skipped, 2 * count

    def report(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if progress and (done // PROGRESS_EVERY > before // PROGRESS_EVERY or done == total):
            progress(done, total)

    if progress:
        progress(done, total)
    try:
        with transaction.atomic():
            _write(new, user, checker, report, batch_size)
            changes = {"file": name, "created": len(new), "skipped": skipped}
            record(
                Action.CREATE,
                object_type="clues.clue",
                object_repr="台账导入",
                changes=changes,
                user=user,
            )
    except _Rollback:
        return ImportResult(errors=checker.errors)
    _refresh_statistics(len(new))
    return ImportResult(created=len(new), skipped_same=skipped)


ANALYZE_AFTER = 10_000  # rows imported after which SQLite's statistics are refreshed


def _refresh_statistics(created: int) -> None:
    """After a large load, SQLite's planner needs fresh statistics to pick the right index
    for each list (without them a filtered list of a million clues took 0.4 s, with them
    0.1 s; bench/bench_clues.py). PostgreSQL's autovacuum does this by itself."""
    if created >= ANALYZE_AFTER and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE clues_clue")
