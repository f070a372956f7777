"""The case ledger (案件台账, docs/case-ledger.md): import from and export to .xlsx.

The same rules as the clue ledger (saohei.clues.ledger), with which it shares its helpers
(saohei.core.ledger_common): import is all rows or none; every row is checked first and every
problem collected, naming sheet, row, column, the value and the fix; only a clean file is
written, in one transaction. Each new case gets the stage moves that bring it to its ledger
stage on the ledger's dates (marked "imported"), its charges, its links to clues and, for a
gang-type case, the three checks of 一案三查. A row already held with the same content is
skipped, so importing a file twice changes nothing. Export goes through the same projection,
so an exported ledger imports back unchanged.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.clues.ledger_format import NUMBER_RE as CLUE_NUMBER_RE
from saohei.clues.models import Clue
from saohei.core.ledger_common import (
    BAD,
    MAX_BYTES,
    MAX_ROWS,
    PROGRESS_EVERY,
    ImportResult,
    Progress,
    Rollback,
    SheetChecker,
    bump_sequences,
    chunks,
    clean,
    key,
    listing,
    read_workbook,
    shown,
    with_ledger_file,
    write_progress,
)
from saohei.core.numbering import next_number
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .actions import OPENERS, default_discipline_unit
from .choices import GANG_KINDS, CheckPart, CheckStatus, Stage
from .ledger_export import (
    _projection,
    _with_details,
)
from .ledger_format import (
    BATCH_SIZE,
    CHARGES,
    CHECK_COLUMNS,
    CHOICES,
    CLOSED_ON,
    CLOSING_REASON,
    CLUES,
    CONTENT_HEADERS,
    COURT,
    CRUDE_OIL,
    HEADERS,
    INDICTED_ON,
    KIND,
    KIND_LABELS,
    MAX_LENGTH,
    MAX_SUSPECTS,
    MAX_TONNES,
    MESSAGES,
    NAME,
    NUMBER,
    NUMBER_KIND,
    NUMBER_RE,
    OPENED_ON,
    OPENING_UNIT,
    PARTNER,
    PROCURATORATE,
    PROSECUTED_ON,
    PROSECUTION_COLUMNS,
    STAGE,
    STAGE_ALLOWS,
    STAGE_COLUMNS,
    STAGE_LABELS,
    STAGE_NEEDS,
    SUSPECTS,
    TONNE,
    TRIAL_COLUMNS,
    TYPICAL,
    _content,
    _identity,
    _problem,
    _Row,
)
from .models import Case, Charge, StageMove, ThreeWayCheck

# Reading -------------------------------------------------------------------------------------


class _Checker(SheetChecker):
    """Checks one row at a time against the lists of the importing user's jurisdiction."""

    headers, key_header, messages = HEADERS, NUMBER, MESSAGES
    choices, max_length = CHOICES, MAX_LENGTH

    def __init__(self, user, sheet: str, epoch):
        super().__init__(sheet, epoch)
        self.user = user
        self.seen: dict[str, int] = {}
        self.identities: dict[tuple, tuple[int, bool]] = {}
        charges = Charge.objects.values_list("pk", "name", "is_active")
        self.charges = {key(name): pk for pk, name, _active in charges}
        self.charge_names = [name for _pk, name, active in charges if active]
        self.clues: dict[str, tuple[int, datetime.date] | None] = {}
        units = Unit.objects.filter(jurisdiction_id__in=user.jurisdiction_ids).exclude(
            kind=UnitKind.OFFICE
        )
        self.units: dict[str, set[int]] = {}
        self.unit_kind: dict[int, str] = {}
        self.unit_names: dict[int, str] = {}
        self.active: list[int] = []
        for pk, name, short, kind, active in units.values_list(
            "pk", "name", "short_name", "kind", "is_active"
        ):
            self.unit_kind[pk], self.unit_names[pk] = kind, name
            for label in {name, short} - {""}:
                self.units.setdefault(key(label), set()).add(pk)
            if active:
                self.active.append(pk)

    def row(self, values: tuple, line: int) -> _Row | None:
        before = len(self.errors)
        raw = self.cells(values)
        number = self.number(line, raw(NUMBER))
        name = self.text(line, NAME, raw(NAME), required=True)
        kind = self.choice(line, KIND, raw(KIND), required=True)
        charges = self.charge_ids(line, raw(CHARGES))
        opened = self.date(line, OPENED_ON, raw(OPENED_ON), required=True)
        opener = self.opening_unit(line, kind, raw(OPENING_UNIT))
        clues = self.clue_links(line, raw(CLUES))
        stage = self.choice(line, STAGE, raw(STAGE), required=True)
        cell = {
            PROSECUTED_ON: self.date(line, PROSECUTED_ON, raw(PROSECUTED_ON)),
            PROCURATORATE: self.unit_of(line, PROCURATORATE, raw, UnitKind.PROCURATORATE),
            INDICTED_ON: self.date(line, INDICTED_ON, raw(INDICTED_ON)),
            COURT: self.unit_of(line, COURT, raw, UnitKind.COURT),
            CLOSED_ON: self.date(line, CLOSED_ON, raw(CLOSED_ON)),
            CLOSING_REASON: self.choice(line, CLOSING_REASON, raw(CLOSING_REASON)),
        }
        suspects = self.count(line, raw(SUSPECTS))
        typical = self.choice(line, TYPICAL, raw(TYPICAL))
        oil = self.tonnes(line, raw(CRUDE_OIL))
        checks = tuple(self.text(line, c, raw(c)) for c in CHECK_COLUMNS.values())
        if stage is not BAD:
            self.stage_columns(line, stage, cell, raw)
        self.date_order(line, [(OPENED_ON, opened)] + [(c, cell[c]) for c in STAGE_COLUMNS])
        if kind is not BAD:
            self.three_checks(line, kind, stage, checks, raw)
        if isinstance(opened, datetime.date) and clues is not BAD and clues:
            earliest = min(clues.values())
            if opened < earliest:  # the rule of actions.open_case
                params = {"other": CLUES, "earliest": shown(earliest)}
                self.error("before_clue", line, OPENED_ON, opened, **params)
        if len(self.errors) > before:
            return None
        row = _Row(
            line, number, suspects, name, kind, charges, opened, opener, frozenset(clues), stage,
            *(cell[c] for c in STAGE_COLUMNS[:-1]), cell[CLOSING_REASON] or "", bool(typical),
            oil, tuple(c or "" for c in checks),
        )  # fmt: skip
        first, numbered = self.identities.setdefault(_identity(row), (line, bool(number)))
        if first != line and not (number and numbered):
            self.error("duplicate_case", line, NAME, name, first=first)
            return None
        return row

    def stage_columns(self, line, stage, cell, raw) -> None:
        params = {"stage": STAGE_LABELS[stage], "other": STAGE}
        for column in STAGE_COLUMNS:
            value = cell[column]
            if value is None and column in STAGE_NEEDS[stage]:
                self.error("needed_for_stage", line, column, **params)
            elif value not in (None, BAD) and column not in STAGE_ALLOWS[stage]:
                self.error("not_for_stage", line, column, raw(column), **params)
        if stage != Stage.CLOSED:
            return
        filled = [c for c in PROSECUTION_COLUMNS + TRIAL_COLUMNS if cell[c] is not None]
        tried = any(c in TRIAL_COLUMNS for c in filled)  # went to the court: and before it
        for column in (PROSECUTION_COLUMNS + TRIAL_COLUMNS) if tried else PROSECUTION_COLUMNS:
            if filled and cell[column] is None:
                partner = PARTNER[column]
                other = partner if cell[partner] is not None else filled[-1]
                self.error("needed_with", line, column, other=other)

    def date_order(self, line, dates: list) -> None:
        earlier = None
        for column, day in dates:
            if not isinstance(day, datetime.date):
                continue
            if earlier and day < earlier[1]:
                other, when = earlier
                self.error("date_order", line, column, day, other=other, earlier=shown(when))
            earlier = (column, day)

    def three_checks(self, line, kind, stage, checks, raw) -> None:
        if kind not in GANG_KINDS:
            kinds = "、".join(KIND_LABELS[k] for k in GANG_KINDS)
            for column, result in zip(CHECK_COLUMNS.values(), checks, strict=True):
                if result not in (None, BAD):
                    params = {"kinds": kinds, "other": KIND}
                    self.error("checks_not_for_kind", line, column, raw(column), **params)
        elif stage == Stage.CLOSED:  # the rule of Case.missing_checks
            for (part, column), result in zip(CHECK_COLUMNS.items(), checks, strict=True):
                if result is None:
                    self.error("checks_missing", line, column, check=CheckPart(part).label)

    def number(self, line, value):
        if value is None:
            return None
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value))).upper()
        match = NUMBER_RE.fullmatch(text)
        if not match or int(match.group(2)) == 0:
            return self.error("bad_number", line, NUMBER, value)
        number = f"{NUMBER_KIND}{match.group(1)}-{int(match.group(2)):04d}"
        first = self.seen.setdefault(number, line)
        if first != line:
            return self.error("duplicate_number", line, NUMBER, value, first=first)
        return number

    def charge_ids(self, line, value):
        """The charges named in the cell. Names may contain 、 themselves (组织、领导、参加黑社会
        性质组织): the longest run of parts that names a charge is taken first."""
        if value is None:
            return frozenset()
        parts = [p for p in re.split(r"[、，,;；\s]+", clean(str(value))) if p]
        found, start, bad = set(), 0, False
        while start < len(parts):
            for end in range(len(parts), start, -1):
                pk = self.charges.get(key("、".join(parts[start:end])))
                if pk is not None:
                    found.add(pk)
                    start = end
                    break
            else:
                accepted = listing(self.charge_names)
                self.error("unknown_charge", line, CHARGES, parts[start], accepted=accepted)
                bad, start = True, start + 1
        return BAD if bad else frozenset(found)

    def clue_links(self, line, value):
        """The clues named in the cell, each visible to the importing user: {pk: received}."""
        if value is None:
            return {}
        numbers = {}
        for part in re.split(r"[、，,;；\s]+", unicodedata.normalize("NFKC", str(value))):
            match = CLUE_NUMBER_RE.fullmatch(part.upper())
            if part and match:
                numbers[f"XS{match.group(1)}-{int(match.group(2)):04d}"] = part
            elif part:
                numbers[part] = part
        unknown = [n for n in numbers if n not in self.clues]
        if unknown:
            visible = Clue.objects.visible_to(self.user).filter(number__in=unknown)
            self.clues.update(dict.fromkeys(unknown))
            self.clues.update((n, (pk, day)) for n, pk, day in visible.values_list(
                "number", "pk", "received_on"
            ))  # fmt: skip
        missing = [part for number, part in numbers.items() if self.clues[number] is None]
        for part in missing:
            self.error("unknown_clue", line, CLUES, part)
        return BAD if missing else dict(self.clues[n] for n in numbers)

    def unit(self, line, column, value, kinds=None, *, required=False, kind=""):
        """A unit of the user's jurisdiction by full or short name; of one of `kinds` when
        given (a short name two units share is taken for the one of the right kind). `kind`
        says in the message what was expected."""
        if value is None:
            return self.error("required", line, column) if required else None
        found = self.units.get(key(value), set())
        fitting = {pk for pk in found if kinds is None or self.unit_kind[pk] in kinds}
        if len(fitting) == 1:
            return next(iter(fitting))
        if fitting:
            names = sorted(self.unit_names[pk] for pk in fitting)
            return self.error("ambiguous_unit", line, column, value, accepted=listing(names))
        fit = listing(
            self.unit_names[pk]
            for pk in self.active
            if kinds is None or self.unit_kind[pk] in kinds
        )
        if not found:
            return self.error("unknown_unit", line, column, value, accepted=fit)
        wrong = "wrong_opener" if column == OPENING_UNIT else "wrong_unit_kind"
        return self.error(wrong, line, column, value, kind=kind, accepted=fit)

    def unit_of(self, line, column, raw, kind: UnitKind):
        return self.unit(line, column, raw(column), [kind], kind=kind.label)

    def opening_unit(self, line, kind, value):
        """A unit of a kind that opens cases of `kind` (actions.OPENERS)."""
        if kind is BAD:
            return self.unit(line, OPENING_UNIT, value, required=True)
        openers = [unit_kind for unit_kind, kinds in OPENERS.items() if kind in kinds]
        label = KIND_LABELS[kind]
        return self.unit(line, OPENING_UNIT, value, openers, required=True, kind=label)

    def count(self, line, value):
        if value is None:
            return None
        text = unicodedata.normalize("NFKC", shown(value)).strip().removesuffix("人").strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d{1,5}", text):
            return self.error("bad_count", line, SUSPECTS, value)
        number = int(text)
        return number if number <= MAX_SUSPECTS else self.error("bad_count", line, SUSPECTS, value)

    def tonnes(self, line, value):
        if value is None:
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("吨")
        try:
            amount = Decimal(text.replace(",", "").strip())
        except InvalidOperation:
            amount = None
        if (
            isinstance(value, bool)
            or amount is None
            or not amount.is_finite()
            or not 0 <= amount <= MAX_TONNES
            or amount != amount.quantize(TONNE)
        ):
            return self.error("bad_tonnes", line, CRUDE_OIL, value)
        return amount.quantize(TONNE)


def _differing(held: tuple, row: _Row) -> str:
    pairs = zip(CONTENT_HEADERS, held, _content(row), strict=True)
    return "、".join(h for h, theirs, ours in pairs if theirs != ours)


def _against_database(rows: list[_Row], user, checker: _Checker) -> tuple[list[_Row], int]:
    """The rows not held yet, and how many are held with the same content already. A number
    held with other content, or by a case the user may not see, is an error; so is a row
    without a number whose case (same name, opening day and unit) is held with other
    content."""
    new, skipped = [], 0
    mine = set(user.jurisdiction_ids)
    visible = Case.objects.visible_to(user)
    for chunk in chunks(rows, 500):
        numbers = [r.number for r in chunk if r.number]
        held = {c.number: c for c in _with_details(Case.objects.filter(number__in=numbers))}
        seen = set(visible.filter(number__in=numbers).values_list("pk", flat=True))
        unnumbered = [r for r in chunk if not r.number]
        same: dict[tuple, list[Case]] = {}
        if unnumbered:
            candidates = visible.filter(
                name__in={r.name for r in unnumbered},
                opening_unit_id__in={r.opening_unit_id for r in unnumbered},
            )
            for case in _with_details(candidates):
                identity = clean(case.name), case.opened_on, case.opening_unit_id
                same.setdefault(identity, []).append(case)
        for row in chunk:
            if not row.number:
                projections = [(c, _projection(c)) for c in same.get(_identity(row), [])]
                if any(p == _content(row) for _c, p in projections):
                    skipped += 1
                elif projections:
                    case, projection = projections[0]
                    columns = _differing(projection, row)
                    checker.error(
                        "same_case_held", row.line, NAME, row.name,
                        number=case.number, columns=columns,
                    )  # fmt: skip
                else:
                    new.append(row)
                continue
            case = held.get(row.number)
            if case is None:
                new.append(row)
            elif case.jurisdiction_id in mine and _projection(case) == _content(row):
                skipped += 1
            elif case.jurisdiction_id in mine and case.pk in seen:
                columns = _differing(_projection(case), row)
                checker.error("number_differs", row.line, NUMBER, row.number, columns=columns)
            else:  # what a case the user may not see holds is not told
                checker.error("number_taken", row.line, NUMBER, row.number)
    return new, skipped


# Writing -------------------------------------------------------------------------------------


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def _timeline(row: _Row) -> list[tuple]:
    """(day, action, from stage, to stage, unit) of each step that brings the case to its
    ledger stage: opened, handed to the procuratorate, to the court, closed."""
    steps = [(row.opened_on, "open", "", Stage.INVESTIGATION, row.opening_unit_id)]
    for day, action, stage, unit_id in (
        (row.prosecuted_on, "prosecute", Stage.PROSECUTION, row.procuratorate_id),
        (row.indicted_on, "indict", Stage.TRIAL, row.court_id),
    ):
        if day is not None:
            steps.append((day, action, steps[-1][3], stage, unit_id))
    if row.stage == Stage.CLOSED:
        steps.append((row.closed_on, "close", steps[-1][3], Stage.CLOSED, steps[-1][4]))
    return steps


def _new_case(row: _Row, number: str, user, jurisdiction_id: int) -> Case:
    last = _timeline(row)[-1]
    return Case(
        number=number,
        name=row.name,
        jurisdiction_id=jurisdiction_id,
        kind=row.kind,
        opened_on=row.opened_on,
        opened_by=user,
        opening_unit_id=row.opening_unit_id,
        handling_unit_id=last[4],
        stage=row.stage,
        stage_since=last[0],
        closed_on=row.closed_on,
        closing_reason=row.closing_reason,
        is_typical=row.is_typical,
        is_oil=row.crude_oil is not None,
        crude_oil_tonnes=row.crude_oil,
    )


def _details(case: Case, row: _Row, user, reason: str, discipline: dict) -> tuple[list, list]:
    """The new case's stage moves and, for a gang-type case, its three checks."""
    moves = [
        StageMove(
            case_id=case.pk,
            at=_midnight(day),
            action=action,
            from_stage=before,
            to_stage=stage,
            unit_id=unit_id,
            actor=user,
            actor_unit_id=user.unit_id,
            reason=reason if action == "open" else "",
            data={"imported": True},
        )
        for day, action, before, stage, unit_id in _timeline(row)
    ]
    checks = []
    if row.kind in GANG_KINDS:
        units = {
            CheckPart.CRIME: row.opening_unit_id,
            CheckPart.UMBRELLA: discipline[case.jurisdiction_id] or row.opening_unit_id,
            CheckPart.FAILURE: discipline[case.jurisdiction_id] or row.opening_unit_id,
        }
        for part, result in zip(CHECK_COLUMNS, row.checks, strict=True):
            checks.append(
                ThreeWayCheck(
                    case_id=case.pk,
                    part=part,
                    responsible_unit_id=units[part],
                    status=CheckStatus.DONE if result else CheckStatus.PENDING,
                    result=result,
                    recorded_by=user if result else None,
                    recorded_on=case.stage_since if result else None,
                )
            )
    return moves, checks


def _write(rows, user, checker, report: Callable[[int], None], batch_size: int) -> None:
    bump_sequences(NUMBER_KIND, (r.number for r in rows if r.number))
    # The sequence rows are locked now: look again for numbers registered in the meantime.
    for chunk in chunks([r for r in rows if r.number], 500):
        numbers = [r.number for r in chunk]
        taken = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
        for row in (r for r in chunk if r.number in taken):
            checker.error("number_taken", row.line, NUMBER, row.number)
    if checker.errors:
        raise Rollback
    opening = {r.opening_unit_id for r in rows}
    jurisdiction = dict(Unit.objects.filter(pk__in=opening).values_list("pk", "jurisdiction_id"))
    discipline = {
        j: getattr(default_discipline_unit(j), "pk", None) for j in {*jurisdiction.values()}
    }
    reason, now = _("Imported from the case ledger"), timezone.now()
    for chunk in chunks(rows, batch_size):
        cases = [
            _new_case(
                row,
                row.number or next_number(NUMBER_KIND, row.opened_on.year),
                user,
                jurisdiction[row.opening_unit_id],
            )
            for row in chunk
        ]
        Case.objects.bulk_create(cases)
        if any(c.pk is None for c in cases):  # a backend that does not return new ids
            ids = dict(
                Case.objects.filter(number__in=[c.number for c in cases]).values_list(
                    "number", "pk"
                )
            )
            for case in cases:
                case.pk = ids[case.number]
        pairs = list(zip(cases, chunk, strict=True))
        Case.charges.through.objects.bulk_create(
            [Case.charges.through(case_id=c.pk, charge_id=pk) for c, r in pairs for pk in r.charges]
        )
        Case.clues.through.objects.bulk_create(
            [Case.clues.through(case_id=c.pk, clue_id=pk) for c, r in pairs for pk in r.clues]
        )
        # The clue ledger's 是否立案 / 案件编号 follow from here, as when a case is opened.
        linked = {pk for r in chunk for pk in r.clues}
        Clue.objects.filter(pk__in=linked).update(led_to_case=True, updated_at=now)
        for case, row in pairs:
            if row.clues:
                Clue.objects.filter(pk__in=row.clues, case_number="").update(
                    case_number=case.number, updated_at=now
                )
        moves, checks = [], []
        for case, row in pairs:
            more_moves, more_checks = _details(case, row, user, reason, discipline)
            moves += more_moves
            checks += more_checks
        StageMove.objects.bulk_create(moves)
        ThreeWayCheck.objects.bulk_create(checks)
        # Check again after the write: the user must be able to see what they imported.
        ids = {c.pk for c in cases}
        seen = set(Case.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        for case, row in pairs:
            if case.pk not in seen:
                checker.error("not_visible", row.line, KIND, KIND_LABELS[row.kind])
        report(len(chunk))
    if checker.errors:
        raise Rollback


# Import --------------------------------------------------------------------------------------


def import_case_ledger(
    fileobj, user, *, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> ImportResult:
    """Import the case ledger in `fileobj` (a path, or a binary file such as an upload) as
    `user`: all rows or none, so when `errors` is not empty nothing was written.

    `progress(done, total)` is called every PROGRESS_EVERY rows; each data row is one step
    when checked and one when written (see saohei.clues.ledger.import_clue_ledger).
    """
    if not user.has_perm("cases.import_case") or user.unit is None:
        raise PermissionDenied(_("You may not import the case ledger."))

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
    if checker.errors:
        return ImportResult(errors=checker.errors)
    report = write_progress(progress, count + skipped, 2 * count, PROGRESS_EVERY)
    try:
        with transaction.atomic():
            _write(new, user, checker, report, batch_size)
            changes = {"file": name, "created": len(new), "skipped": skipped}
            record(
                Action.CREATE,
                object_type="cases.case",
                object_repr="台账导入",
                changes=changes,
                user=user,
            )
    except Rollback:
        return ImportResult(errors=checker.errors)
    return ImportResult(created=len(new), skipped_same=skipped)
