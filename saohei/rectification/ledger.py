"""The task ledger (任务清单): rectification tasks imported from Excel, all rows or none.

The sheet named 任务清单 (or else the first sheet) has a header row with 督导检查, 问题类别,
存在问题, 整改措施, 责任单位, 责任人, 完成时限, and if wanted 阶段目标 and 涉及单位, in any
order, in simplified or traditional characters; other columns (序号, 整改状态 of an exported
list) are ignored. Each row is a task: the inspection must already be recorded (by its
title), the problem is found by its text in that inspection or added, and a task already held
(same problem, measures and responsible unit) is skipped. Every problem is named by sheet,
row and column with the fix (docs/rectification.md).
"""

from __future__ import annotations

import re
from collections import namedtuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.ledger_common import (
    BAD,
    DAMAGED,
    MAX_BYTES,
    NOT_OPENED,
    ImportResult,
    LedgerError,
    Progress,
    SheetChecker,
    key,
    listing,
    problem,
    read_sheet,
    with_ledger_file,
    write_progress,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.orgs.models import Unit

from . import actions
from .models import Inspection, Problem, ProblemCategory, Task

INSPECTION, CATEGORY, PROBLEM, MEASURES, MILESTONES = (
    "督导检查",
    "问题类别",
    "存在问题",
    "整改措施",
    "阶段目标",
)
UNIT, PERSON, DEADLINE, CONCERNED = "责任单位", "责任人", "完成时限", "涉及单位"
HEADERS = [INSPECTION, CATEGORY, PROBLEM, MEASURES, MILESTONES, UNIT, PERSON, DEADLINE]
REQUIRED = [h for h in HEADERS if h != MILESTONES]
OPTIONAL = [MILESTONES, CONCERNED]
ALIASES = {
    "检查名称": INSPECTION,
    "巡察督导": INSPECTION,
    "类别": CATEGORY,
    "问题": PROBLEM,
    "问题描述": PROBLEM,
    "整改任务": MEASURES,
    "牵头单位": UNIT,
    "责任领导": PERSON,
    "具体责任人": PERSON,
    "整改时限": DEADLINE,
    "完成时间": DEADLINE,
    "时间节点": MILESTONES,
}
MAX_ROWS = 5000
MAX_LENGTH = {PROBLEM: 2000, MEASURES: 2000, MILESTONES: 1000, PERSON: 50, CONCERNED: 500}
SHEET = "任务清单"

MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy("The sheet is empty: no header row, no tasks.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no task rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s task rows: split it into several files.")),
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s (and, if you "
        "like, %(optional)s), in any order, in simplified or traditional characters.")),
    "unknown_inspection": ("unknown_inspection", gettext_lazy(
        "“%(value)s” is not an inspection recorded here: record it first under 整改督办, or "
        "write one of %(accepted)s.")),
    "unknown_category": ("invalid_choice", gettext_lazy(
        "“%(value)s” is not a problem category: write one of %(accepted)s.")),
    "deadline_before": ("bad_deadline", gettext_lazy(
        "The deadline %(value)s is before the inspection's feedback (%(inspection_date)s): "
        "check the year and the month.")),
    "duplicate_row": ("duplicate_row", gettext_lazy(
        "Row %(first)s already has this task (same problem, measures and responsible unit): "
        "keep one of the two rows.")),
}  # fmt: skip

_Row = namedtuple(
    "_Row", "line inspection category problem measures milestones unit person deadline concerned"
)


class _Checker(SheetChecker):
    headers, optional, aliases = REQUIRED, OPTIONAL, ALIASES
    key_header, messages, max_length = MEASURES, MESSAGES, MAX_LENGTH

    def __init__(self, user, sheet, epoch):
        super().__init__(sheet, epoch)
        self.inspections: dict[str, Inspection] = {}
        for inspection in Inspection.objects.editable_by(user):
            self.inspections.setdefault(key(inspection.title), inspection)
        self.categories = {key(c.name): c for c in ProblemCategory.objects.filter(is_active=True)}
        self.units: dict[str, set[int]] = {}
        self.unit_names: dict[int, str] = {}
        for unit in Unit.objects.filter(jurisdiction_id__in=user.jurisdiction_ids, is_active=True):
            self.unit_names[unit.pk] = unit.name
            for label in {unit.name, unit.short_name} - {""}:
                self.units.setdefault(key(label), set()).add(unit.pk)
        self.seen: dict[tuple, int] = {}

    def row(self, values, line):
        before = len(self.errors)
        raw = self.cells(values)
        inspection = self.lookup(
            line,
            INSPECTION,
            raw(INSPECTION),
            self.inspections,
            "unknown_inspection",
            [i.title for i in self.inspections.values()],
        )
        category = self.lookup(
            line,
            CATEGORY,
            raw(CATEGORY),
            self.categories,
            "unknown_category",
            [c.name for c in self.categories.values()],
        )
        text = self.text(line, PROBLEM, raw(PROBLEM), required=True)
        measures = self.text(line, MEASURES, raw(MEASURES), required=True)
        milestones = (
            (self.text(line, MILESTONES, raw(MILESTONES)) or "")
            if MILESTONES in self.columns
            else ""
        )
        unit = self.unit(line, UNIT, raw(UNIT), required=True)
        person = self.text(line, PERSON, raw(PERSON), required=True)
        deadline = self.date(line, DEADLINE, raw(DEADLINE), required=True, future_ok=True)
        concerned = []
        if CONCERNED in self.columns and raw(CONCERNED) is not None:
            text_units = self.text(line, CONCERNED, raw(CONCERNED))
            if text_units is not BAD:  # too long: its error is recorded, no names to read
                for name in re.split(r"[、，,；;\s]+", text_units or ""):
                    if name:
                        concerned.append(self.unit(line, CONCERNED, name))
        if len(self.errors) > before:
            return None
        if deadline < inspection.date:
            self.error(
                "deadline_before",
                line,
                DEADLINE,
                deadline,
                inspection_date=inspection.date.isoformat(),
            )
            return None
        first = self.seen.setdefault((inspection.pk, key(text), key(measures), unit), line)
        if first != line:
            self.error("duplicate_row", line, MEASURES, measures, first=first)
            return None
        return _Row(
            line,
            inspection,
            category,
            text,
            measures,
            milestones,
            unit,
            person,
            deadline,
            concerned,
        )

    def lookup(self, line, column, value, table, message, accepted):
        if value is None:
            return self.error("required", line, column)
        found = table.get(key(value))
        if found is None:
            return self.error(message, line, column, value, accepted=listing(accepted))
        return found

    def unit(self, line, column, value, required=False):
        if value is None:
            return self.error("required", line, column) if required else None
        found = self.units.get(key(value), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            names = sorted(self.unit_names[pk] for pk in found)
            return self.error("ambiguous_unit", line, column, value, accepted=listing(names))
        return self.error(
            "unknown_unit", line, column, value, accepted=listing(self.unit_names.values())
        )


def import_task_ledger(fileobj, user, progress: Progress | None = None) -> ImportResult:
    """Import the task ledger in `fileobj` (a path or a binary file) as `user`: all rows or
    none; when `errors` is not empty nothing was written."""
    if not user.has_perm("rectification.import_task") or user.unit is None:
        raise PermissionDenied(_("You may not import rectification tasks."))
    return with_ledger_file(
        fileobj, MAX_BYTES, MESSAGES, lambda fh, name: _import(fh, user, name, progress)
    )


def _read(fh, user, progress):
    try:
        wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except NOT_OPENED:
        return None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        checker = _Checker(user, ws.title, wb.epoch)
        try:
            rows, count = read_sheet(ws, checker, progress, MAX_ROWS)
        except DAMAGED:
            checker.error("unreadable")
            rows, count = [], 0
    finally:
        wb.close()
    return checker, rows, count


def _import(fh, user, name, progress) -> ImportResult:
    read = _read(fh, user, progress)
    if read is None:
        return ImportResult(errors=[problem(MESSAGES, "unreadable")])
    checker, rows, count = read
    if checker.errors:
        return ImportResult(errors=checker.errors)
    report = write_progress(progress, count, 2 * count)
    created = skipped = 0
    units = Unit.objects.in_bulk({r.unit for r in rows} | {u for r in rows for u in r.concerned})
    try:
        with transaction.atomic():
            problems: dict[tuple, Problem] = {}
            for problem_row in Problem.objects.filter(
                inspection__in={r.inspection.pk for r in rows}
            ):
                problems[(problem_row.inspection_id, key(problem_row.text))] = problem_row
            for row in rows:
                held = problems.get((row.inspection.pk, key(row.problem)))
                if held is None:
                    held = actions.add_problem(
                        user,
                        row.inspection,
                        category=row.category,
                        text=row.problem,
                        units=[units[u] for u in row.concerned],
                    )
                    problems[(row.inspection.pk, key(row.problem))] = held
                same = Task.objects.filter(problem=held, responsible_unit_id=row.unit)
                if any(key(t.measures) == key(row.measures) for t in same):
                    skipped += 1
                else:
                    actions.add_task(
                        user,
                        held,
                        measures=row.measures,
                        responsible_unit=units[row.unit],
                        responsible_person=row.person,
                        deadline=row.deadline,
                        milestones=row.milestones,
                        set_on=row.inspection.date,
                    )
                    created += 1
                report(1)
            record(
                Action.CREATE,
                object_type="rectification.task",
                object_repr="任务清单导入",
                changes={"file": name, "created": created, "skipped": skipped},
                user=user,
            )
    except (actions.RectificationError, PermissionDenied) as exc:
        # The rows were checked; this is a rule of the actions the checker does not repeat.
        message = " ".join(getattr(exc, "messages", None) or [str(exc)])
        return ImportResult(errors=[LedgerError("refused", message, checker.sheet)])
    return ImportResult(created=created, skipped_same=skipped)
