"""The publicity ledger (宣传活动台账) and the fund ledger (专项经费台账): import and export
(docs/oversight.md gives the columns).

Both follow the rules of every ledger (saohei.core.ledger_common): all rows or none; every
row is checked first and every problem collected, naming sheet, row, column, the value and
the fix; only a clean file is written, in one transaction. A row already held (same unit,
day, form or kind, quantity or amount, number) is skipped, so the same file imported twice
adds nothing. An export has the import's columns, so it can be corrected and imported again.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.ledger_common import (
    MAX_BYTES,
    ImportResult,
    Rollback,
    SheetChecker,
    key,
    listing,
    problem,
    read_workbook,
    with_ledger_file,
)
from saohei.core.ledger_common import MESSAGES as COMMON_MESSAGES

from .actions import recordable_units
from .choices import KIND_NAMES, PURPOSE_NAMES, FundPurpose, PublicityKind
from .models import FundAllocation, FundSpending, PublicityActivity
from .publicity import wording_findings

MAX_ROWS = 20_000
MAX_AMOUNT = Decimal("999999999999.99")

# The columns: the format itself, not UI text.
UNIT, DAY, FORM, QUANTITY, OUTLET, MEDIA, TITLE, TEXT = (
    "单位", "日期", "形式", "数量", "发布渠道", "媒体报道数", "标题", "内容"
)  # fmt: skip
PUBLICITY_HEADERS = [UNIT, DAY, FORM, QUANTITY]
PUBLICITY_OPTIONAL = [OUTLET, MEDIA, TITLE, TEXT]
PUBLICITY_ALIASES = {"单位名称": UNIT, "活动日期": DAY, "宣传形式": FORM, "载体": OUTLET,
                     "地点": OUTLET, "媒体报道": MEDIA, "文字内容": TEXT}  # fmt: skip

KIND, AMOUNT, PURPOSE, NUMBER, SOURCE, NOTE = (
    "类别", "金额（元）", "用途", "文号或凭证号", "资金来源", "备注"
)  # fmt: skip
FUND_HEADERS = [UNIT, DAY, KIND, AMOUNT, PURPOSE]
FUND_OPTIONAL = [NUMBER, SOURCE, NOTE]
FUND_ALIASES = {"单位名称": UNIT, "金额": AMOUNT, "金额(元)": AMOUNT, "文号": NUMBER,
                "凭证号": NUMBER}  # fmt: skip
ALLOCATE, SPEND = "下拨", "支出"

MESSAGES = COMMON_MESSAGES | {
    "empty_sheet": ("empty", gettext_lazy("The first sheet is empty: no header row, no rows.")),
    "no_rows": ("empty", gettext_lazy(
        "There are no rows under the header row (row %(row)s).")),
    "too_many_rows": ("too_many_rows", gettext_lazy(
        "The sheet has more than %(max)s rows: split it into several files.")),
    "missing_header": ("missing_header", gettext_lazy(
        "The header row has no column “%(column)s”. The headers are %(headers)s (and, if you "
        "like, %(optional)s), in any order, in simplified or traditional characters.")),
    "bad_count": ("not_a_number", gettext_lazy(
        "“%(value)s” is not a count: write a whole number such as 120 (no decimals).")),
    "bad_amount": ("not_a_number", gettext_lazy(
        "“%(value)s” is not an amount: write yuan such as 35000 or 35,000.50, or 万元 such as "
        "3.5万元; more than zero, at most two decimals.")),
    "reward_by_hand": ("reward_by_hand", gettext_lazy(
        "Reward payouts are counted from the clues' rewards: leave this row out.")),
    "duplicate_row": ("duplicate_row", gettext_lazy(
        "Row %(first)s gives the same record: keep one of the two rows, or make them differ "
        "(for two activities, add their quantities into one row).")),
    "not_visible": ("not_permitted", gettext_lazy(
        "You could not see this record once imported: have the office of the unit's "
        "jurisdiction import it.")),
}  # fmt: skip

KIND_LABELS = {**{key(v): k for k, v in KIND_NAMES.items()},
               **{key(label): k for k, label in PublicityKind.choices}}  # fmt: skip
PURPOSE_LABELS = {**{key(v): k for k, v in PURPOSE_NAMES.items()},
                  **{key(label): k for k, label in FundPurpose.choices}}  # fmt: skip
FUND_KINDS = {key(ALLOCATE): ALLOCATE, key("拨付"): ALLOCATE, key("收入"): ALLOCATE,
              key(SPEND): SPEND, key("支付"): SPEND}  # fmt: skip


class _Checker(SheetChecker):
    messages = MESSAGES
    max_length = {OUTLET: 200, TITLE: 200, TEXT: 20_000, NUMBER: 100, SOURCE: 100, NOTE: 300}

    def __init__(self, user, sheet: str, epoch):
        super().__init__(sheet, epoch)
        self.seen: dict[tuple, int] = {}
        self.units: dict[str, set[int]] = {}
        self.unit_names: dict[int, str] = {}
        for pk, name, short in recordable_units(user).values_list("pk", "name", "short_name"):
            self.unit_names[pk] = name
            for label in {name, short} - {""}:
                self.units.setdefault(key(label), set()).add(pk)

    def unit(self, line, value):
        if value is None:
            return self.error("required", line, UNIT)
        found = self.units.get(key(value), set())
        if len(found) == 1:
            return next(iter(found))
        names = sorted(self.unit_names[pk] for pk in found) if found else None
        if names:
            return self.error("ambiguous_unit", line, UNIT, value, accepted=listing(names))
        accepted = listing(sorted(self.unit_names.values()))
        return self.error("unknown_unit", line, UNIT, value, accepted=accepted)

    def count(self, line, column, value, *, default=None):
        if value is None:
            return self.error("required", line, column) if default is None else default
        text = re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", str(value)))
        text = re.sub(r"[^\d.]+$", "", text)  # a measure word after the number: 120条
        match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
        if not match or int(match.group(1)) > 999_999_999:
            return self.error("bad_count", line, column, value)
        return int(match.group(1))

    def amount(self, line, value):
        if value is None:
            return self.error("required", line, AMOUNT)
        text = re.sub(r"[\s,，¥￥]", "", unicodedata.normalize("NFKC", str(value)))
        factor = Decimal(1)
        if text.endswith(("万元", "万")):
            text, factor = text.removesuffix("元").removesuffix("万"), Decimal(10000)
        text = text.removesuffix("元")
        try:
            amount = Decimal(text) * factor
        except InvalidOperation:
            return self.error("bad_amount", line, AMOUNT, value)
        if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
            return self.error("bad_amount", line, AMOUNT, value)
        if amount != amount.quantize(Decimal("0.01")):
            return self.error("bad_amount", line, AMOUNT, value)
        return amount.quantize(Decimal("0.01"))

    def labelled(self, line, column, value, table: dict, accepted: list[str], *, required=True):
        if value is None:
            return self.error("required", line, column) if required else ""
        code = table.get(key(value))
        if code is None:
            return self.error("invalid_choice", line, column, value, accepted="、".join(accepted))
        return code

    def once(self, identity: tuple, line: int, column: str, value) -> bool:
        first = self.seen.setdefault(identity, line)
        if first != line:
            self.error("duplicate_row", line, column, value, first=first)
            return False
        return True


class _PublicityChecker(_Checker):
    headers, optional, aliases, key_header = (
        PUBLICITY_HEADERS, PUBLICITY_OPTIONAL, PUBLICITY_ALIASES, FORM
    )  # fmt: skip

    def row(self, values, line):
        before = len(self.errors)
        raw = self.cells(values)
        unit = self.unit(line, raw(UNIT))
        held_on = self.date(line, DAY, raw(DAY), required=True)
        kind = self.labelled(line, FORM, raw(FORM), KIND_LABELS, list(KIND_NAMES.values()))
        quantity = self.count(line, QUANTITY, raw(QUANTITY))
        if quantity == 0:
            quantity = self.error("bad_count", line, QUANTITY, raw(QUANTITY))
        opt = {h: raw(h) if h in self.columns else None for h in PUBLICITY_OPTIONAL}
        media = self.count(line, MEDIA, opt[MEDIA], default=0)
        outlet = self.text(line, OUTLET, opt[OUTLET]) or ""
        title = self.text(line, TITLE, opt[TITLE]) or ""
        text = self.text(line, TEXT, opt[TEXT]) or ""
        if len(self.errors) > before:
            return None
        identity = (unit, held_on, kind, quantity, outlet, title)
        if not self.once(identity, line, FORM, raw(FORM)):
            return None
        return {
            "line": line,
            "unit_id": unit,
            "held_on": held_on,
            "kind": kind,
            "quantity": quantity,
            "media_reports": media,
            "outlet": outlet,
            "title": title,
            "text": text,
        }


class _FundChecker(_Checker):
    headers, optional, aliases, key_header = FUND_HEADERS, FUND_OPTIONAL, FUND_ALIASES, AMOUNT

    def row(self, values, line):
        before = len(self.errors)
        raw = self.cells(values)
        unit = self.unit(line, raw(UNIT))
        day = self.date(line, DAY, raw(DAY), required=True)
        kind = self.labelled(line, KIND, raw(KIND), FUND_KINDS, [ALLOCATE, SPEND])
        amount = self.amount(line, raw(AMOUNT))
        purposes = list(PURPOSE_NAMES.values())
        purpose = self.labelled(
            line, PURPOSE, raw(PURPOSE), PURPOSE_LABELS, purposes, required=kind == SPEND
        )
        if kind == SPEND and purpose == FundPurpose.REWARD:
            purpose = self.error("reward_by_hand", line, PURPOSE, raw(PURPOSE))
        opt = {h: raw(h) if h in self.columns else None for h in FUND_OPTIONAL}
        number = self.text(line, NUMBER, opt[NUMBER]) or ""
        source = self.text(line, SOURCE, opt[SOURCE]) or ""
        note = self.text(line, NOTE, opt[NOTE]) or ""
        if len(self.errors) > before:
            return None
        if not self.once((unit, day, kind, amount, number), line, AMOUNT, raw(AMOUNT)):
            return None
        return {
            "line": line,
            "kind": kind,
            "unit_id": unit,
            "day": day,
            "amount": amount,
            "purpose": purpose or "",
            "number": number,
            "source": source,
            "note": note,
        }


def _import(fileobj, user, perm, checker_class, write, progress=None) -> ImportResult:
    if not user.has_perm(perm) or user.unit is None:
        raise PermissionDenied(_("You may not import this ledger."))

    def work(fh, name):
        read = read_workbook(
            fh, partial(checker_class, user), progress, MAX_ROWS, load=load_workbook
        )
        if read is None:
            return ImportResult(errors=[problem(MESSAGES, "unreadable")])
        checker, rows, _count = read
        if checker.errors:
            return ImportResult(errors=checker.errors)
        try:
            with transaction.atomic():
                created, skipped = write(rows, user, checker)
                record(
                    Action.CREATE,
                    object_type=f"oversight.{checker_class.__name__.strip('_').lower()}",
                    object_repr=name,
                    changes={"file": name, "created": created, "skipped": skipped},
                    user=user,
                )
                if checker.errors:
                    raise Rollback
        except Rollback:
            return ImportResult(errors=checker.errors)
        return ImportResult(created=created, skipped_same=skipped)

    return with_ledger_file(fileobj, MAX_BYTES, MESSAGES, work)


def _write_publicity(rows, user, checker) -> tuple[int, int]:
    held = set(
        PublicityActivity.objects.filter(unit_id__in={r["unit_id"] for r in rows}).values_list(
            "unit_id", "held_on", "kind", "quantity", "outlet", "title"
        )
    )
    new = []
    for r in rows:
        identity = (r["unit_id"], r["held_on"], r["kind"], r["quantity"], r["outlet"], r["title"])
        if identity in held:
            continue
        fields = {k: v for k, v in r.items() if k != "line"}
        new.append(
            PublicityActivity(**fields, recorded_by=user, findings=wording_findings(r["text"]))
        )
    created = PublicityActivity.objects.bulk_create(new)
    _check_visible(PublicityActivity, created, user, checker, rows)
    return len(created), len(rows) - len(created)


def _write_funds(rows, user, checker) -> tuple[int, int]:
    units = {r["unit_id"] for r in rows}
    held_alloc = set(
        FundAllocation.objects.filter(unit_id__in=units).values_list(
            "unit_id", "allocated_on", "amount", "document"
        )
    )
    held_spend = set(
        FundSpending.objects.filter(unit_id__in=units).values_list(
            "unit_id", "spent_on", "amount", "voucher"
        )
    )
    allocations, spending = [], []
    for r in rows:
        identity = (r["unit_id"], r["day"], r["amount"], r["number"])
        if r["kind"] == ALLOCATE:
            if identity in held_alloc:
                continue
            allocations.append(
                FundAllocation(
                    unit_id=r["unit_id"],
                    allocated_on=r["day"],
                    amount=r["amount"],
                    purpose=r["purpose"],
                    document=r["number"],
                    source=r["source"],
                    note=r["note"],
                    recorded_by=user,
                )  # fmt: skip
            )
        elif identity not in held_spend:
            spending.append(
                FundSpending(
                    unit_id=r["unit_id"],
                    spent_on=r["day"],
                    amount=r["amount"],
                    purpose=r["purpose"],
                    voucher=r["number"],
                    note=r["note"],
                    recorded_by=user,
                )  # fmt: skip
            )
    created = FundAllocation.objects.bulk_create(allocations)
    _check_visible(FundAllocation, created, user, checker, rows)
    created_spending = FundSpending.objects.bulk_create(spending)
    _check_visible(FundSpending, created_spending, user, checker, rows)
    made = len(created) + len(created_spending)
    return made, len(rows) - made


def _check_visible(model, created, user, checker, rows) -> None:
    """Check again after the write: the user must see what they imported."""
    ids = [obj.pk for obj in created if obj.pk is not None]
    if ids and model.objects.visible_to(user).filter(pk__in=ids).count() != len(ids):
        checker.error("not_visible", rows[0]["line"], UNIT)


def import_publicity_ledger(fileobj, user, progress=None) -> ImportResult:
    return _import(
        fileobj, user, "oversight.import_publicity", _PublicityChecker, _write_publicity, progress
    )


def import_fund_ledger(fileobj, user, progress=None) -> ImportResult:
    return _import(fileobj, user, "oversight.import_funds", _FundChecker, _write_funds, progress)


# Export -------------------------------------------------------------------------------------


def publicity_rows(activities):
    for a in activities.select_related("unit").order_by("held_on", "pk"):
        yield [
            a.unit.name,
            a.held_on,
            KIND_NAMES[a.kind],
            a.quantity,
            a.outlet,
            a.media_reports,
            a.title,
            a.text,
            len(a.findings),
        ]


PUBLICITY_EXPORT = [*PUBLICITY_HEADERS, *PUBLICITY_OPTIONAL, "用语问题数"]
FUND_EXPORT = [*FUND_HEADERS, *FUND_OPTIONAL]


def fund_rows(allocations, spending):
    rows = []
    for a in allocations.select_related("unit"):
        rows.append(
            [
                a.unit.name,
                a.allocated_on,
                ALLOCATE,
                a.amount,
                PURPOSE_NAMES.get(a.purpose, ""),
                a.document,
                a.source,
                a.note,
            ]  # fmt: skip
        )
    for s in spending.select_related("unit"):
        rows.append(
            [
                s.unit.name,
                s.spent_on,
                SPEND,
                s.amount,
                PURPOSE_NAMES[s.purpose],
                s.voucher,
                "",
                s.note,
            ]  # fmt: skip
        )
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows
