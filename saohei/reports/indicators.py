"""Monthly indicators (月度指标, docs/indicator-ledger.md): the indicator ledger's import and
the year-on-year comparison the dashboard and the briefing show.

The ledger follows the rules of the clue and case ledgers, with which it shares its reading
code (saohei.core.ledger_common): import is all rows or none; every row is checked first and
every problem collected, naming sheet, row, column, the value and the fix; only a clean file
is written, in one transaction.

Unlike a clue or a case, a monthly value is a figure another system reports, and offices
correct it: a row for a (unit, month, indicator) already held with the same value is skipped;
with another value (or another note, when the file has a 备注 column) it replaces the held one.
Each replacement is saved through the ORM, so the audit log records the old and the new value.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.ledger_common import (
    BAD,
    MAX_BYTES,
    MAX_ROWS,
    PROGRESS_EVERY,
    ImportResult,
    Progress,
    Rollback,
    SheetChecker,
    chunks,
    key,
    listing,
    problem,
    read_workbook,
    to_date,
    with_ledger_file,
    write_progress,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES
from saohei.orgs.models import Unit

from .models import Indicator, MonthlyValue

# The columns. They are the format itself, not UI text.
UNIT, MONTH, INDICATOR, VALUE, NOTE = "单位", "月份", "指标", "数值", "备注"
HEADERS = [UNIT, MONTH, INDICATOR, VALUE]
OPTIONAL = [NOTE]
# Other headers hand-made sheets use for the same columns. 月份 has none: it is the header that
# marks the header row among the first rows (read_sheet).
ALIASES = {
    "单位名称": UNIT,
    "填报单位": UNIT,
    "指标名称": INDICATOR,
    "数量": VALUE,
    "数据": VALUE,
    "说明": NOTE,
    "来源": NOTE,
}

MAX_VALUE = 999_999_999_999  # no monthly count comes near; a larger one is a typing slip
MAX_LENGTH = {NOTE: 200}
BATCH_SIZE = 500
EARLIEST_YEAR = 1980

# name: (code, message), besides the ones every ledger has (saohei.core.ledger_common).
MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy(
        "The first sheet is empty: no header row, no values.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no value rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s value rows: split it into several files.")),
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s (and, if you "
        "like, %(optional)s), in any order, in simplified or traditional characters.")),
    "bad_month": ("bad_month", gettext_lazy(
        "“%(value)s” is not a month: write a month such as 2019-06, 2019年6月 or 201906, or "
        "use an Excel date cell (any day of the month stands for the month).")),
    "future_month": ("future_month", gettext_lazy(
        "%(value)s has not begun yet: check the year and the month.")),
    "unknown_indicator": ("unknown_indicator", gettext_lazy(
        "“%(value)s” is not in the list of indicators: write one of %(accepted)s (the name or "
        "its code).")),
    "wrong_unit_kind": ("wrong_unit_kind", gettext_lazy(
        "“%(value)s” does not report %(indicator)s (reported by %(kinds)s): write one of "
        "%(accepted)s, or correct “%(other)s”.")),
    "bad_value": ("not_a_number", gettext_lazy(
        "“%(value)s” is not a count: write a whole number of 0 or more, such as 120 (no "
        "decimals, no minus sign).")),
    "value_too_large": ("too_large", gettext_lazy(
        "%(value)s is more than %(max)s: check the figure.")),
    "duplicate_row": ("duplicate_row", gettext_lazy(
        "Row %(first)s already gives %(indicator)s of %(unit)s for %(month)s: a unit has one "
        "row per indicator and month; keep one of the two rows.")),
    "not_visible": ("not_permitted", gettext_lazy(
        "You could not see this value once imported: have the office of the unit's "
        "jurisdiction import it.")),
    "changed_meanwhile": ("conflict", gettext_lazy(
        "Someone else imported values for the same units and months while this file was being "
        "imported: import the file again.")),
}  # fmt: skip

# One checked ledger row: its Excel row number and its content. `note` is None when the file
# has no 备注 column (a held note is then left as it is).
_Row = namedtuple("_Row", "line unit_id month indicator_id value note")


@dataclass
class IndicatorImportResult(ImportResult):
    """ImportResult with the values that replaced held ones (corrected figures)."""

    replaced: int = 0


def _problem(name, sheet="", row=None, column="", value=None, **params):
    return problem(MESSAGES, name, sheet, row, column, value, **params)


# Months --------------------------------------------------------------------------------------

_MONTH_RE = re.compile(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))")


def to_month(value, epoch) -> datetime.date | None:
    """The first day of the month a cell names: 2019-06, 2019/6, 2019.06, 2019年6月, 201906,
    a full date (2019-06-15, 2019年6月15日, 20190615) or an Excel date cell or serial number
    (any day stands for its month); None when it is none of these (or before 1980)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None  # 2019.6 typed into a number cell: 2019.1 could be January or October
        value = int(value)
    day = None
    if isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int):
        text = str(value)
        match = re.fullmatch(r"(\d{4})(\d{2})", text)
        if match:
            day = _first(int(match.group(1)), int(match.group(2)))
        elif value > 0:
            day = to_date(value, epoch)  # 20190615, or an Excel serial date
    else:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
        match = _MONTH_RE.fullmatch(text)
        if match:
            day = _first(int(match.group(1)), int(match.group(2) or match.group(3)))
        else:
            day = to_date(text, epoch)
    if day is None or day.year < EARLIEST_YEAR:
        return None
    return datetime.date(day.year, day.month, 1)


def _first(year: int, month: int) -> datetime.date | None:
    return datetime.date(year, month, 1) if 1 <= month <= 12 else None


# Reading -------------------------------------------------------------------------------------


class _Checker(SheetChecker):
    """Checks one row at a time against the units of the importing user's jurisdiction and
    the list of indicators."""

    optional, aliases = OPTIONAL, ALIASES
    headers, key_header, messages, max_length = HEADERS, MONTH, MESSAGES, MAX_LENGTH

    def __init__(self, user, sheet: str, epoch):
        super().__init__(sheet, epoch)
        self.month_now = self.today.replace(day=1)
        self.seen: dict[tuple, int] = {}
        self.indicators: dict[str, Indicator] = {}
        indicators = list(Indicator.objects.all())
        for indicator in indicators:  # names and codes first, then names without 数
            self.indicators.setdefault(key(indicator.name), indicator)
            self.indicators.setdefault(key(indicator.code), indicator)
        for indicator in indicators:
            self.indicators.setdefault(key(indicator.name.removesuffix("数")), indicator)
        self.indicator_names = [i.name for i in indicators if i.is_active]
        self.measures = {i.measure for i in indicators if i.measure}
        self.units: dict[str, set[int]] = {}
        self.unit_kind: dict[int, str] = {}
        self.unit_names: dict[int, str] = {}
        self.active: list[int] = []
        units = Unit.objects.filter(jurisdiction_id__in=user.jurisdiction_ids)
        for pk, name, short, kind, active in units.values_list(
            "pk", "name", "short_name", "kind", "is_active"
        ):
            self.unit_kind[pk], self.unit_names[pk] = kind, name
            for label in {name, short} - {""}:
                self.units.setdefault(key(label), set()).add(pk)
            if active:
                self.active.append(pk)

    @property
    def has_note(self) -> bool:
        return NOTE in self.columns

    def row(self, values: tuple, line: int) -> _Row | None:
        before = len(self.errors)
        raw = self.cells(values)
        month = self.month(line, raw(MONTH))
        indicator = self.indicator(line, raw(INDICATOR))
        unit = self.unit(line, raw(UNIT), indicator)
        value = self.count(line, raw(VALUE))
        note = (self.text(line, NOTE, raw(NOTE)) or "") if self.has_note else None
        if len(self.errors) > before:
            return None
        first = self.seen.setdefault((unit, month, indicator.pk), line)
        if first != line:
            params = {
                "first": first,
                "indicator": indicator.name,
                "unit": self.unit_names[unit],
                "month": f"{month:%Y-%m}",
            }
            self.error("duplicate_row", line, INDICATOR, raw(INDICATOR), **params)
            return None
        return _Row(line, unit, month, indicator.pk, value, note)

    def month(self, line, value):
        if value is None:
            return self.error("required", line, MONTH)
        month = to_month(value, self.epoch)
        if month is None:
            return self.error("bad_month", line, MONTH, value)
        if month > self.month_now:
            return self.error("future_month", line, MONTH, f"{month:%Y-%m}")
        return month

    def indicator(self, line, value):
        if value is None:
            return self.error("required", line, INDICATOR)
        indicator = self.indicators.get(key(value))
        if indicator is None:
            accepted = listing(self.indicator_names)
            return self.error("unknown_indicator", line, INDICATOR, value, accepted=accepted)
        return indicator

    def unit(self, line, value, indicator):
        """A unit of the user's jurisdiction by full or short name; one that reports the
        indicator, when it is known (a short name two units share is taken for the one that
        reports it)."""
        if value is None:
            return self.error("required", line, UNIT)

        def fits(pk):
            return indicator is BAD or indicator.reported_by(self.unit_kind[pk])

        found = self.units.get(key(value), set())
        fitting = {pk for pk in found if fits(pk)}
        if len(fitting) == 1:
            return next(iter(fitting))
        if fitting:
            names = sorted(self.unit_names[pk] for pk in fitting)
            return self.error("ambiguous_unit", line, UNIT, value, accepted=listing(names))
        accepted = listing(self.unit_names[pk] for pk in self.active if fits(pk))
        if not found:
            return self.error("unknown_unit", line, UNIT, value, accepted=accepted)
        params = {
            "indicator": indicator.name,
            "kinds": "、".join(indicator.unit_kind_labels),
            "accepted": accepted,
            "other": INDICATOR,
        }
        return self.error("wrong_unit_kind", line, UNIT, value, **params)

    def count(self, line, value):
        if value is None:
            return self.error("required", line, VALUE)
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float):
            if math.isfinite(value) and value.is_integer():  # Excel keeps numbers as floats
                number = int(value)
        elif isinstance(value, str):
            text = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", value))
            for measure in self.measures:
                text = text.removesuffix(measure)
            match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
            number = int(match.group(1)) if match else None
        if number is None or number < 0:
            return self.error("bad_value", line, VALUE, value)
        if number > MAX_VALUE:
            return self.error("value_too_large", line, VALUE, value, max=MAX_VALUE)
        return number


# Writing -------------------------------------------------------------------------------------


def _held(rows: list[_Row]) -> dict[tuple, MonthlyValue]:
    """The values already held for the rows' (unit, month, indicator), locked, by key."""
    wanted = {(r.unit_id, r.month, r.indicator_id) for r in rows}
    candidates = (
        MonthlyValue.objects.select_for_update()
        .filter(
            unit_id__in={r.unit_id for r in rows},
            month__in={r.month for r in rows},
            indicator_id__in={r.indicator_id for r in rows},
        )
        .order_by("pk")
    )
    held = {}
    for value in candidates:
        identity = (value.unit_id, value.month, value.indicator_id)
        if identity in wanted:
            held[identity] = value
    return held


def _write(rows, user, checker, report: Callable[[int], None], batch_size) -> tuple[int, int, int]:
    """Create the new values, replace the changed ones, skip the same ones: (created,
    replaced, skipped)."""
    created = replaced = skipped = 0
    visible = MonthlyValue.objects.visible_to(user)
    for chunk in chunks(rows, batch_size):
        held = _held(chunk)
        new = []
        for row in chunk:
            value = held.get((row.unit_id, row.month, row.indicator_id))
            note = row.note if row.note is not None else (value.note if value else "")
            if value is None:
                new.append(
                    MonthlyValue(
                        unit_id=row.unit_id,
                        month=row.month,
                        indicator_id=row.indicator_id,
                        value=row.value,
                        note=note,
                        imported_by=user,
                    )
                )
            elif (value.value, value.note) == (row.value, note):
                skipped += 1
            else:  # a corrected figure: saved one by one so the audit log keeps the old one
                value.value, value.note, value.imported_by = row.value, note, user
                value.save(update_fields=["value", "note", "imported_by", "updated_at"])
                replaced += 1
        MonthlyValue.objects.bulk_create(new)
        created += len(new)
        # Check again after the write: the user must be able to see what they imported.
        seen = set(
            visible.filter(
                unit_id__in={r.unit_id for r in chunk},
                month__in={r.month for r in chunk},
                indicator_id__in={r.indicator_id for r in chunk},
            ).values_list("unit_id", "month", "indicator_id")
        )
        for row in chunk:
            if (row.unit_id, row.month, row.indicator_id) not in seen:
                checker.error("not_visible", row.line, UNIT, checker.unit_names[row.unit_id])
        report(len(chunk))
    if checker.errors:
        raise Rollback
    return created, replaced, skipped


# Import --------------------------------------------------------------------------------------


def import_indicator_ledger(
    fileobj, user, progress: Progress | None = None, *, batch_size: int = BATCH_SIZE
) -> IndicatorImportResult:
    """Import the indicator ledger in `fileobj` (a path, or a binary file such as an upload)
    as `user`: all rows or none, so when `errors` is not empty nothing was written.

    `progress(done, total)` is called every PROGRESS_EVERY rows; each data row is one step
    when checked and one when written (see saohei.clues.ledger.import_clue_ledger).
    """
    if not user.has_perm("reports.import_indicators") or user.unit is None:
        raise PermissionDenied(_("You may not import the indicator ledger."))

    def work(fh, name):
        return _import_workbook(fh, user, name, progress, batch_size)

    result = with_ledger_file(fileobj, MAX_BYTES, MESSAGES, work)
    if not isinstance(result, IndicatorImportResult):  # refused before it was opened
        result = IndicatorImportResult(errors=result.errors)
    return result


def _import_workbook(fh, user, name, progress, batch_size) -> IndicatorImportResult:
    read = read_workbook(fh, partial(_Checker, user), progress, MAX_ROWS, load=load_workbook)
    if read is None:
        return IndicatorImportResult(errors=[_problem("unreadable")])
    checker, rows, count = read
    if checker.errors:
        return IndicatorImportResult(errors=checker.errors)
    report = write_progress(progress, count, 2 * count, PROGRESS_EVERY)
    try:
        with transaction.atomic():
            created, replaced, skipped = _write(rows, user, checker, report, batch_size)
            changes = {"file": name, "created": created, "replaced": replaced, "skipped": skipped}
            record(
                Action.CREATE,
                object_type="reports.monthlyvalue",
                object_repr="指标台账导入",
                changes=changes,
                user=user,
            )
    except Rollback:
        return IndicatorImportResult(errors=checker.errors)
    except IntegrityError:  # another import inserted the same values since they were read
        return IndicatorImportResult(errors=[_problem("changed_meanwhile")])
    return IndicatorImportResult(created=created, skipped_same=skipped, replaced=replaced)


# Year on year --------------------------------------------------------------------------------


def _month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from `first` to `last` (both first days of their month, inclusive)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def month_of(cls, day: datetime.date) -> Period:
        return cls(_month(day), _month(day))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        """The whole calendar quarter holding `day`."""
        start = (day.month - 1) // 3 * 3 + 1
        return cls(datetime.date(day.year, start, 1), datetime.date(day.year, start + 2, 1))

    @classmethod
    def quarter_to_date(cls, day: datetime.date) -> Period:
        """The quarter holding `day`, up to the month of `day`."""
        return cls(cls.quarter_of(day).first, _month(day))

    @classmethod
    def year_to_date(cls, day: datetime.date) -> Period:
        """January to the month of `day`."""
        return cls(datetime.date(day.year, 1, 1), _month(day))

    def __post_init__(self):
        if self.first.day != 1 or self.last.day != 1 or self.last < self.first:
            raise ValueError(f"not a period of whole months: {self.first} to {self.last}")

    def year_before(self) -> Period:
        return Period(self.first.replace(year=self.first.year - 1), self.last.replace(
            year=self.last.year - 1
        ))  # fmt: skip

    @property
    def label(self) -> str:
        """As a heading writes it: 2019年6月, 2019年第2季度, 2019年1-6月."""
        if self.first == self.last:
            return f"{self.first.year}年{self.first.month}月"
        if self == Period.quarter_of(self.first):
            return f"{self.first.year}年第{(self.first.month + 2) // 3}季度"
        if self.first.year == self.last.year:
            return f"{self.first.year}年{self.first.month}-{self.last.month}月"
        return f"{self.first.year}年{self.first.month}月-{self.last.year}年{self.last.month}月"


@dataclass(frozen=True)
class YearOnYear:
    """An indicator's total over a period and over the same period a year earlier. `current`
    and `previous` are 0 when nothing is held; `current_count` and `previous_count` say how
    many monthly values were added up (0: nothing reported). `change_rate` is a fraction
    (−0.2083 for a fall of 20.83%), rounded to 4 places; None when last year's total is 0."""

    indicator: str
    period: Period
    previous_period: Period
    current: int
    previous: int
    current_count: int
    previous_count: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_rate(self) -> float | None:
        return round(self.change / self.previous, 4) if self.previous else None

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "period": [f"{self.period.first:%Y-%m}", f"{self.period.last:%Y-%m}"],
            "current": self.current,
            "previous": self.previous,
            "change": self.change,
            "change_rate": self.change_rate,
            "current_count": self.current_count,
            "previous_count": self.previous_count,
        }


def year_on_year(
    values_qs: QuerySet,
    indicator_code: str,
    month_or_period: datetime.date | Period | object,
    *,
    unit: Unit | int | None = None,
) -> YearOnYear:
    """The total of indicator `indicator_code` in `values_qs` (MonthlyValue rows, already
    scoped: `MonthlyValue.objects.visible_to(user)`) over a month (any day of it), a Period,
    or any period with `start` and `end` dates (saohei.reports.tables.Period: the months from
    start's to end's), beside the same months a year earlier; for one unit (a Unit or its pk)
    when `unit` is given. One query."""
    period = month_or_period
    if isinstance(period, datetime.date):
        period = Period.month_of(period)
    elif not isinstance(period, Period):  # a period of the tables: dates `start` and `end`
        period = Period(_month(period.start), _month(period.end))
    before = period.year_before()
    now_q = Q(month__range=(period.first, period.last))
    then_q = Q(month__range=(before.first, before.last))
    values = values_qs.filter(now_q | then_q, indicator__code=indicator_code)
    if unit is not None:
        values = values.filter(unit=unit)
    sums = values.aggregate(
        current=Sum("value", filter=now_q, default=0),
        previous=Sum("value", filter=then_q, default=0),
        current_count=Count("pk", filter=now_q),
        previous_count=Count("pk", filter=then_q),
    )
    return YearOnYear(indicator_code, period, before, **{k: int(v) for k, v in sums.items()})
