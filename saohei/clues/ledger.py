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
import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.ledger_common import (
    BAD,
    PROGRESS_EVERY,
    Progress,
    Rollback,
    SheetChecker,
    bump_sequences,
    chunks,
    listing,
    problem,
    read_workbook,
    shown,
    with_ledger_file,
    write_progress,
)
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .asof import settle
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
    RECEIVED_ON,
    SOURCE,
    STATUS,
    STATUS_LABELS,
    SUBJECTS,
    SUMMARY,
    UNIT,
    WITH_FINDING,
    ImportResult,
    _key,
)
from .models import Clue, Industry, Move
from .services import search_text_for


def _problem(name, sheet="", row=None, column="", value=None, **params):
    return problem(MESSAGES, name, sheet, row, column, value, **params)


# One checked ledger row: its Excel row number, then the clue's ledger content.
_Row = namedtuple(
    "_Row",
    "line number received_on source category industry_id subjects summary unit_id deadline "
    "status concluded_on finding led_to_case case_number",
)


def _content(row: _Row) -> tuple:
    return tuple(row)[1:]


class _Checker(SheetChecker):
    """Checks one row at a time against the lists of the importing user's jurisdiction."""

    headers, key_header, messages = HEADERS, NUMBER, MESSAGES
    choices, max_length = CHOICES, MAX_LENGTH

    def __init__(self, user, sheet: str, epoch):
        super().__init__(sheet, epoch)
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

    def row(self, values: tuple, line: int) -> _Row | None:
        before = len(self.errors)
        raw = self.cells(values)

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
        if status is not BAD:
            for column, value, needed, allowed in (
                (UNIT, unit, NEEDS_UNIT, HAS_UNIT),
                (DEADLINE, deadline, OPEN_STATUSES, HAS_UNIT),
                (CONCLUDED_ON, concluded, NEEDS_DATE, DATED),
                (FINDING, finding, NEEDS_FINDING, WITH_FINDING),
            ):
                params = {"status": STATUS_LABELS[status], "other": STATUS}
                if value is None and status in needed:
                    self.error("needed_for_status", line, column, **params)
                elif value not in (None, BAD) and status not in allowed:
                    self.error("not_for_status", line, column, raw(column), **params)
        if category == Category.UMBRELLA and unit not in (None, BAD) and not self.discipline(unit):
            self.error("umbrella", line, UNIT, raw(UNIT), accepted=listing(self.discipline_names))
        if led is True and case_number is None:
            self.error("case_number", line, CASE_NUMBER, other=LED_TO_CASE)
        elif led in (None, False) and case_number not in (None, BAD):
            self.error("no_case", line, CASE_NUMBER, case_number, other=LED_TO_CASE)
        for column, day in ((DEADLINE, deadline), (CONCLUDED_ON, concluded)):
            if received not in (None, BAD) and day not in (None, BAD) and day < received:
                self.error("date_order", line, column, day, received=shown(received))
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

    def industry(self, line, value):
        if value is None:
            return None
        pk = self.industries.get(_key(value))
        if pk is None:
            accepted = listing(self.industry_names)
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
            return self.error("ambiguous_unit", line, UNIT, value, accepted=listing(names))
        accepted = listing(self.unit_names)
        return self.error("unknown_unit", line, UNIT, value, accepted=accepted)


def _against_database(rows: list[_Row], user, checker: _Checker) -> tuple[list[_Row], int]:
    """The rows not held yet, and how many are held with the same content already. A number
    held with other content, or outside the user's jurisdiction, is an error."""
    new, skipped = [], 0
    mine = set(user.jurisdiction_ids)
    for chunk in chunks(rows, 500):
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


def _write(rows, user, checker, report: Callable[[int], None], batch_size: int) -> None:
    bump_sequences(NUMBER_KIND, (r.number for r in rows))
    # The sequence rows are locked now: look again for numbers registered in the meantime.
    for chunk in chunks(rows, 500):
        numbers = [r.number for r in chunk]
        taken = set(Clue.objects.filter(number__in=numbers).values_list("number", flat=True))
        for row in (r for r in chunk if r.number in taken):
            checker.error("number_taken", row.line, NUMBER, row.number)
    if checker.errors:
        raise Rollback
    reason, today = _("Imported from the clue ledger"), timezone.localdate()
    for index, chunk in enumerate(chunks(rows, batch_size)):
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
        if index == 0 and len(rows) > batch_size:
            _analyze_in_transaction()
        # bulk_create passes Move.save by: record here what it would (Clue.last_moved_at).
        settle(Clue.objects.filter(pk__in=[c.pk for c in clues]))
        report(len(chunk))


def _analyze_in_transaction() -> None:
    """PostgreSQL plans settle()'s UPDATE of each batch from the tables' statistics. After a
    large import was rolled back (refused at the end, or its process killed) they may count
    the dead rows' pages with no live row in them, and the planner then takes the tables for
    empty however many rows this import adds: each batch's UPDATE took half a minute and a
    20,000-row import run again after a kill took more than ten. ANALYZE in the import's own
    transaction counts its uncommitted rows, so the batches after the first plan right."""
    if connection.vendor == "postgresql":
        tables = (Clue._meta.db_table, Move._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


# Import --------------------------------------------------------------------------------------


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

    def work(fh, name):
        return _import_workbook(fh, user, name, progress, batch_size)

    return with_ledger_file(fileobj, MAX_BYTES, MESSAGES, work)


def _import_workbook(fh, user, name, progress, batch_size) -> ImportResult:
    read = read_workbook(fh, partial(_Checker, user), progress, MAX_ROWS, load=load_workbook)
    if read is None:
        return ImportResult(errors=[_problem("unreadable")])
    checker, rows, count = read
    if not checker.errors:
        new, skipped = _against_database(rows, user, checker)
        del rows
    if checker.errors:
        return ImportResult(errors=checker.errors)
    report = write_progress(progress, count + skipped, 2 * count, PROGRESS_EVERY)
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
    except Rollback:
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
