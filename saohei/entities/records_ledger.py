"""The records ledger (前科劣迹台账, docs/records-ledger.md): criminal and misconduct records
imported from .xlsx, each resolved to the person it belongs to.

The ledger follows the rules of the clue, case and indicator ledgers, with which it shares its
reading code (saohei.core.ledger_common): import is all rows or none; every row is checked
first and every problem collected, naming sheet, row, column, the value and the fix; only a
clean file is written, in one transaction.

Records come from official systems (court judgments, police decisions, discipline sanctions),
so an ID number whose check character or birth date is wrong is an error to be fixed at the
source, never guessed at. Each row's person is the person of the importer's jurisdiction held
with the same ID number (one merged into another resolves to the survivor), or a new person
made from the row; a row naming the person differently adds that name to the person's former
names. A row identical to a record the importer can already see is skipped, so importing a
file twice changes nothing.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.ledger_common import (
    DAMAGED,
    MAX_BYTES,
    MAX_ROWS,
    NOT_OPENED,
    PROGRESS_EVERY,
    ImportResult,
    Progress,
    Rollback,
    SheetChecker,
    chunks,
    clean,
    key,
    problem,
    read_sheet,
    shown,
    with_ledger_file,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.orgs.models import Jurisdiction

from .choices import RecordKind
from .matching import fold_name, parse_id
from .models import Person, Record, split_list

# The columns. They are the format itself, not UI text.
NAME, ID_NUMBER, KIND, DATE, BODY, DESCRIPTION = (
    "姓名",
    "身份证号",
    "记录类型",
    "日期",
    "处理机关",
    "简要情况",
)
HEADERS = [NAME, ID_NUMBER, KIND, DATE, BODY]
OPTIONAL = [DESCRIPTION]
# Other headers that records exported from other systems use for the same columns. 身份证号
# has a few: it is also the header that marks the header row among the first rows
# (read_sheet), so its common forms are listed here too.
ALIASES = {
    "身份证号码": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "证件号码": ID_NUMBER,
    "类型": KIND,
    "记录种类": KIND,
    "劣迹类型": KIND,
    "处理日期": DATE,
    "决定日期": DATE,
    "判决日期": DATE,
    "处罚机关": BODY,
    "决定机关": BODY,
    "处理单位": BODY,
    "简要案情": DESCRIPTION,
    "情况说明": DESCRIPTION,
}

# The record types as the ledger writes them (the labels of RecordKind once translated), and
# other names official systems give them.
KIND_LABELS = {
    RecordKind.GANG_CRIME: "涉黑涉恶犯罪",
    RecordKind.CRIMINAL: "刑事处罚",
    RecordKind.ADMINISTRATIVE: "行政处罚",
    RecordKind.DISCIPLINE: "党纪政务处分",
    RecordKind.OTHER: "其他劣迹",
}
KIND_SYNONYMS = {
    "涉黑": RecordKind.GANG_CRIME,
    "涉恶": RecordKind.GANG_CRIME,
    "涉黑涉恶": RecordKind.GANG_CRIME,
    "涉黑犯罪": RecordKind.GANG_CRIME,
    "涉恶犯罪": RecordKind.GANG_CRIME,
    "黑恶犯罪": RecordKind.GANG_CRIME,
    "刑事犯罪": RecordKind.CRIMINAL,
    "犯罪记录": RecordKind.CRIMINAL,
    "刑事处罚": RecordKind.CRIMINAL,
    "行政拘留": RecordKind.ADMINISTRATIVE,
    "治安处罚": RecordKind.ADMINISTRATIVE,
    "治安拘留": RecordKind.ADMINISTRATIVE,
    "党纪处分": RecordKind.DISCIPLINE,
    "政务处分": RecordKind.DISCIPLINE,
    "纪律处分": RecordKind.DISCIPLINE,
    "政纪处分": RecordKind.DISCIPLINE,
    "其他": RecordKind.OTHER,
    "劣迹": RecordKind.OTHER,
}

MAX_LENGTH = {NAME: 50, BODY: 100, DESCRIPTION: 1000}
MAX_FORMER_NAMES = Person._meta.get_field("former_names").max_length
BATCH_SIZE = 500
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number

# name: (code, message), besides the ones every ledger has (saohei.core.ledger_common).
MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy(
        "The first sheet is empty: no header row, no records.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no record rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s record rows: split it into several files.")),
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s (and, if you "
        "like, %(optional)s), in any order, in simplified or traditional characters.")),
    "bad_id": ("bad_id_number", gettext_lazy(
        "“%(value)s” is not a resident ID number: write the 18 characters of the number (the "
        "last may be X) or the old 15 digits.")),
    "id_as_number": ("id_as_number", gettext_lazy(
        "%(value)s was typed into a number cell, and Excel keeps only the first 15 digits of a "
        "number: format the column as text and copy the ID numbers in again from their "
        "source.")),
    "id_check": ("id_check_digit", gettext_lazy(
        "The check character (the last one) of %(value)s does not agree with the digits before "
        "it, so one of them is wrong: have the number corrected where the record comes from; "
        "records are not imported with a wrong ID number.")),
    "id_birth": ("id_birth_date", gettext_lazy(
        "The birth date in %(value)s (digits 7 to 14, or 7 to 12 of a 15-digit number) is not "
        "a real past date: have the number corrected where the record comes from; records "
        "are not imported with a wrong ID number.")),
    "duplicate_row": ("duplicate_row", gettext_lazy(
        "Row %(first)s already gives this record (the same ID number, %(kind)s, %(date)s and "
        "deciding body): keep one of the two rows.")),
    "record_differs": ("record_conflict", gettext_lazy(
        "A record of %(value)s with the same type, date and deciding body is already held with "
        "a different %(columns)s: correct the row or leave it out of the file.")),
    "former_names_full": ("too_long", gettext_lazy(
        "The person held with this ID number has former names “%(names)s”, and “%(value)s” "
        "does not fit beside them: have the person's former names shortened first, or write "
        "the name the person is held under.")),
    "not_visible": ("not_permitted", gettext_lazy(
        "You could not see this record once imported: have the office of your jurisdiction "
        "import it.")),
}  # fmt: skip

# One checked ledger row: its Excel row number and its content. `description` is None when
# the file has no 简要情况 column.
_Row = namedtuple("_Row", "line name id18 kind decided_on body description")


@dataclass
class RecordImportResult(ImportResult):
    """ImportResult with the persons the import created and those it gave a former name."""

    persons_created: int = 0
    names_added: int = 0


def _problem(name, sheet="", row=None, column="", value=None, **params):
    return problem(MESSAGES, name, sheet, row, column, value, **params)


def kind_table() -> tuple[dict[str, str], list[str]]:
    """({folded label: RecordKind}, the labels an error offers): the Chinese labels, the
    codes, the synonyms, and the labels in English and in the active language."""
    table = {key(label): kind for kind, label in KIND_LABELS.items()}
    for name, kind in KIND_SYNONYMS.items():
        table.setdefault(key(name), kind)
    for kind in RecordKind:
        table.setdefault(key(kind.value), kind)
        table.setdefault(key(str(kind.label)), kind)
        with translation.override("en"):
            table.setdefault(key(str(kind.label)), kind)
    return table, list(KIND_LABELS.values())


# Reading -------------------------------------------------------------------------------------


class _Checker(SheetChecker):
    """Checks one row at a time: the ID number strictly, the record type against RecordKind,
    and no record twice in the file."""

    optional, aliases = OPTIONAL, ALIASES
    headers, key_header, messages, max_length = HEADERS, ID_NUMBER, MESSAGES, MAX_LENGTH

    def __init__(self, sheet: str, epoch):
        super().__init__(sheet, epoch)
        self.choices = {KIND: kind_table()}
        self.seen: dict[tuple, int] = {}

    @property
    def has_description(self) -> bool:
        return DESCRIPTION in self.columns

    def row(self, values: tuple, line: int) -> _Row | None:
        before = len(self.errors)
        raw = self.cells(values)
        name = self.text(line, NAME, raw(NAME), required=True)
        id18 = self.id_number(line, raw(ID_NUMBER))
        kind = self.choice(line, KIND, raw(KIND), required=True)
        day = self.date(line, DATE, raw(DATE), required=True)
        body = self.text(line, BODY, raw(BODY), required=True)
        description = None
        if self.has_description:
            description = self.text(line, DESCRIPTION, raw(DESCRIPTION)) or ""
        if len(self.errors) > before:
            return None
        first = self.seen.setdefault((id18, kind, day, key(body)), line)
        if first != line:
            params = {"first": first, "kind": KIND_LABELS[kind], "date": f"{day:%Y-%m-%d}"}
            self.error("duplicate_row", line, ID_NUMBER, raw(ID_NUMBER), **params)
            return None
        return _Row(line, name, id18, kind, day, body, description)

    def id_number(self, line, value):
        """The 18-digit form of a valid number; 15-digit numbers are converted."""
        if value is None:
            return self.error("required", line, ID_NUMBER)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number and len(shown(value)) > EXCEL_DIGITS:
            return self.error("id_as_number", line, ID_NUMBER, value)
        info = parse_id(shown(value))
        if info is None:
            return self.error("bad_id", line, ID_NUMBER, value)
        if not info.check_ok:
            return self.error("id_check", line, ID_NUMBER, value)
        if info.birth_date is None:
            return self.error("id_birth", line, ID_NUMBER, value)
        return info.id18


# Writing -------------------------------------------------------------------------------------


def _index(id18: str) -> str:
    return Person._meta.get_field("id_index").index_for(id18)


def _survivor(person: Person) -> Person:
    """The person `person` was merged into (through any chain of merges), or itself."""
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = Person.objects.select_for_update().get(pk=person.merged_into_id)
    return person


def _held_persons(indexes: dict[str, str], jurisdiction_id: int) -> dict[str, Person]:
    """The persons of the jurisdiction held with the rows' ID numbers, locked, by 18-digit
    number: a current one (the first entered) before one merged into another, which resolves
    to its survivor.

    Not scoped to the importer on purpose: a record belongs to the one person of the
    jurisdiction with its ID number, whoever entered that person."""
    by_index = {index: id18 for id18, index in indexes.items()}
    candidates = (
        Person.objects.select_for_update()
        .filter(jurisdiction_id=jurisdiction_id, id_index__in=by_index)
        .order_by("pk")
    )
    found: dict[str, Person] = {}
    merged: dict[str, Person] = {}
    for person in candidates:
        id18 = by_index[person.id_index]
        if person.merged_into_id is None:
            found.setdefault(id18, person)
        else:
            merged.setdefault(id18, person)
    for id18, person in merged.items():
        if id18 not in found:
            found[id18] = _survivor(person)
    return found


def _held_records(indexes: dict[str, str], user, jurisdiction_id: int) -> dict[tuple, list]:
    """The records of the jurisdiction the user can see with the rows' ID numbers, by (blind
    index, kind, date, folded deciding body)."""
    held: dict[tuple, list[Record]] = {}
    records = Record.objects.visible_to(user).filter(
        jurisdiction_id=jurisdiction_id, id_index__in=set(indexes.values())
    )
    for rec in records.only(
        "id_index", "kind", "decided_on", "deciding_body", "name", "description"
    ):
        identity = (rec.id_index, rec.kind, rec.decided_on, key(rec.deciding_body))
        held.setdefault(identity, []).append(rec)
    return held


def _differing(held: Record, row: _Row) -> str:
    columns = []
    if fold_name(held.name) != fold_name(row.name):
        columns.append(NAME)
    if row.description is not None and clean(held.description) != row.description:
        columns.append(DESCRIPTION)
    return "、".join(columns)


def _add_name(person: Person, name: str) -> bool | None:
    """Add `name` to the person's former names unless the person already goes by it: True
    when added, False when already there, None when it does not fit."""
    folded = fold_name(name)
    former = split_list(person.former_names)
    if folded == fold_name(person.name) or folded in {fold_name(n) for n in former}:
        return False
    names = "、".join([*former, name])
    if len(names) > MAX_FORMER_NAMES:
        return None
    person.former_names = names
    return True


@dataclass
class _Counts:
    created: int = 0
    skipped: int = 0
    persons_created: int = 0
    names_added: int = 0


def _write(rows, user, checker, report: Callable[[int], None], batch_size) -> _Counts:
    """Resolve each row's person, create the new records, skip the held ones."""
    unit = user.unit
    jurisdiction_id = unit.jurisdiction_id
    # Records of one jurisdiction are imported one file at a time, so that two imports never
    # both create the same new person.
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction_id).first()
    counts = _Counts()
    persons: dict[str, Person] = {}  # by 18-digit number, across chunks
    renamed: dict[int, Person] = {}
    visible = Record.objects.visible_to(user)
    for chunk in chunks(rows, batch_size):
        indexes = {row.id18: _index(row.id18) for row in chunk}
        unknown = {id18: i for id18, i in indexes.items() if id18 not in persons}
        persons |= _held_persons(unknown, jurisdiction_id)
        held = _held_records(indexes, user, jurisdiction_id)
        new: list[tuple[_Row, Record]] = []
        for row in chunk:
            index = indexes[row.id18]
            same = held.get((index, row.kind, row.decided_on, key(row.body)), [])
            if same:
                if any(not _differing(rec, row) for rec in same):
                    counts.skipped += 1
                else:
                    columns = _differing(same[0], row)
                    checker.error("record_differs", row.line, ID_NUMBER, row.id18, columns=columns)
                continue
            person = persons.get(row.id18)
            if person is None:
                person = Person(
                    name=row.name,
                    id_number=row.id18,
                    jurisdiction_id=jurisdiction_id,
                    entered_by_unit=unit,
                )
                person.save()
                persons[row.id18] = person
                counts.persons_created += 1
            else:
                added = _add_name(person, row.name)
                if added is None:
                    names = person.former_names
                    checker.error(
                        "former_names_full", row.line, NAME, row.name, names=names
                    )  # fmt: skip
                    continue
                if added:
                    renamed[person.pk] = person
                    counts.names_added += 1
            rec = Record(
                person=person,
                jurisdiction_id=jurisdiction_id,
                name=row.name,
                id_number=row.id18,
                kind=row.kind,
                decided_on=row.decided_on,
                deciding_body=row.body,
                description=row.description or "",
                imported_by_unit=unit,
                imported_by=user,
            )
            new.append((row, rec))
        Record.objects.bulk_create([rec for _row, rec in new])
        counts.created += len(new)
        # Check again after the write: the user must be able to see what they imported.
        seen = set(
            visible.filter(pk__in=[rec.pk for _row, rec in new]).values_list("pk", flat=True)
        )
        for row, rec in new:
            if rec.pk not in seen:
                checker.error("not_visible", row.line, NAME, row.name)
        report(len(chunk))
    for person in renamed.values():  # saved one by one: the audit log keeps the old names
        person.save(update_fields=["former_names", "updated_at"])
    if checker.errors:
        raise Rollback
    return counts


# Import --------------------------------------------------------------------------------------


def import_records_ledger(
    fileobj, user, progress: Progress | None = None, *, batch_size: int = BATCH_SIZE
) -> RecordImportResult:
    """Import the records ledger in `fileobj` (a path, or a binary file such as an upload) as
    `user`: all rows or none, so when `errors` is not empty nothing was written.

    `progress(done, total)` is called every PROGRESS_EVERY rows; each data row is one step
    when checked and one when written (see saohei.clues.ledger.import_clue_ledger).
    """
    if not user.has_perm("entities.import_record") or user.unit is None:
        raise PermissionDenied(_("You may not import the records ledger."))

    def work(fh, name):
        return _import_workbook(fh, user, name, progress, batch_size)

    result = with_ledger_file(fileobj, MAX_BYTES, MESSAGES, work)
    if not isinstance(result, RecordImportResult):  # refused before it was opened
        result = RecordImportResult(errors=result.errors)
    return result


def _import_workbook(fh, user, name, progress, batch_size) -> RecordImportResult:
    try:
        wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except NOT_OPENED:
        return RecordImportResult(errors=[_problem("unreadable")])
    try:
        ws = wb.worksheets[0]
        checker = _Checker(ws.title, wb.epoch)
        try:
            rows, count = read_sheet(ws, checker, progress, MAX_ROWS)
        except DAMAGED:
            checker.error("unreadable")
    finally:
        wb.close()
    if checker.errors:
        return RecordImportResult(errors=checker.errors)
    done, total = count, 2 * count

    def report(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if progress and (done // PROGRESS_EVERY > before // PROGRESS_EVERY or done == total):
            progress(done, total)

    if progress:
        progress(done, total)
    try:
        with transaction.atomic():
            counts = _write(rows, user, checker, report, batch_size)
            changes = {
                "file": name,
                "created": counts.created,
                "skipped": counts.skipped,
                "persons_created": counts.persons_created,
                "names_added": counts.names_added,
            }
            record(
                Action.CREATE,
                object_type="entities.record",
                object_repr="前科劣迹台账导入",
                changes=changes,
                user=user,
            )
    except Rollback:
        return RecordImportResult(errors=checker.errors)
    return RecordImportResult(
        created=counts.created,
        skipped_same=counts.skipped,
        persons_created=counts.persons_created,
        names_added=counts.names_added,
    )
