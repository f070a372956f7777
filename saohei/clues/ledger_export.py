"""Export of clues as the clue ledger (DESIGN §6), the same projection the import compares
with, so an exported ledger imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from saohei.core.xlsx import write_ledger_sheet

from .ledger_format import (
    CATEGORY_LABELS,
    DATED,
    FINDING_LABELS,
    HEADERS,
    NO,
    SOURCE_LABELS,
    STATUS_LABELS,
    UNITLESS,
    WITH_FINDING,
    YES,
    _clean,
)
from .models import Clue

PROJECTED = ["number", "received_on", "source", "category", "industry", "subjects", "summary"]
PROJECTED += ["assigned_unit", "deadline", "status", "concluded_on", "finding", "led_to_case"]
PROJECTED += ["case_number", "jurisdiction"]


def _projection(clue: Clue) -> tuple:
    """A clue's ledger content, with ids, in _Row.content() order. What its status does not
    carry in a ledger (a date or finding left from an earlier stage) is left out."""
    status, unitless = clue.status, clue.status in UNITLESS
    return (
        clue.number, clue.received_on, clue.source, clue.category, clue.industry_id,
        _clean(clue.subjects), _clean(clue.summary),
        None if unitless else clue.assigned_unit_id, None if unitless else clue.deadline,
        status, clue.concluded_on if status in DATED else None,
        clue.finding if status in WITH_FINDING else "", clue.led_to_case,
        _clean(clue.case_number),
    )  # fmt: skip


WIDTHS = [14, 12, 12, 10, 10, 20, 40, 16, 12, 12, 12, 10, 9, 16]


def ledger_rows(clues) -> Iterator[list]:
    """The clues as ledger rows in HEADERS order: dates as dates, labels in Chinese."""
    fields = [*PROJECTED, "industry__name", "assigned_unit__name"]
    queryset = clues.select_related("industry", "assigned_unit").only(*fields)
    for clue in queryset.iterator(chunk_size=2000):
        row = list(_projection(clue))
        row[2] = SOURCE_LABELS.get(row[2], row[2])
        row[3] = CATEGORY_LABELS.get(row[3], row[3])
        row[4] = clue.industry.name if row[4] else ""
        row[7] = clue.assigned_unit.name if row[7] else ""
        row[9] = STATUS_LABELS.get(row[9], row[9])
        row[11] = FINDING_LABELS.get(row[11], "")
        row[12] = YES if row[12] else NO
        yield row


def write_ledger(clues, fileobj) -> None:
    """Write the clues as a ledger .xlsx, streamed (openpyxl's write-only mode)."""
    write_ledger_sheet(fileobj, _("Clue ledger"), HEADERS, WIDTHS, ledger_rows(clues))
