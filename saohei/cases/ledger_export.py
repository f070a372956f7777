"""The case ledger's projection of a case and its export to .xlsx: the same projection the
import compares against, so an exported ledger imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.models import Clue
from saohei.core.ledger_common import (
    chunks,
    clean,
)
from saohei.core.xlsx import write_ledger_sheet
from saohei.orgs.models import Unit

from .choices import CheckStatus, Stage
from .ledger_format import (
    CHECK_COLUMNS,
    CLOSING_LABELS,
    HEADERS,
    KIND_LABELS,
    NO,
    STAGE_LABELS,
    YES,
)
from .models import Case, StageMove, Suspect

# Projection ----------------------------------------------------------------------------------


def _stages(case: Case) -> tuple:
    """(prosecuted_on, procuratorate_id, indicted_on, court_id) as the ledger shows them: the
    steps of the case's current run through the stages (a return for further investigation
    starts a new run), only those its stage carries. Reads the prefetched `moves`."""
    prosecuted = indicted = (None, None)
    for move in sorted(case.moves.all(), key=lambda m: (m.at, m.pk)):
        step = (timezone.localdate(move.at), move.unit_id)
        if move.to_stage == Stage.PROSECUTION:
            prosecuted, indicted = step, (None, None)
        elif move.to_stage == Stage.TRIAL:
            indicted = step
        elif move.to_stage == Stage.INVESTIGATION and move.from_stage:
            prosecuted = indicted = (None, None)
    if case.stage == Stage.INVESTIGATION:
        prosecuted = indicted = (None, None)
    elif case.stage == Stage.PROSECUTION:
        indicted = (None, None)
    return (*prosecuted, *indicted)


def _checks(case: Case) -> tuple:
    if not case.is_gang_type:
        return ("", "", "")
    done = {c.part: clean(c.result) for c in case.checks.all() if c.status == CheckStatus.DONE}
    return tuple(done.get(part, "") for part in CHECK_COLUMNS)


def _projection(case: Case) -> tuple:
    """A case's ledger content, with ids, in _Row content order. Reads the prefetched
    charges, clues, moves and checks (see _with_details)."""
    closed = case.stage == Stage.CLOSED
    return (
        clean(case.name), case.kind, frozenset(c.pk for c in case.charges.all()),
        case.opened_on, case.opening_unit_id, frozenset(c.pk for c in case.clues.all()),
        case.stage, *_stages(case), case.closed_on if closed else None,
        case.closing_reason if closed else "", case.is_typical, case.crude_oil_tonnes,
        _checks(case),
    )  # fmt: skip


def _with_details(cases):
    """The cases with what _projection reads."""
    moves = StageMove.objects.only("case", "at", "from_stage", "to_stage", "unit")
    return cases.prefetch_related(
        "charges",
        Prefetch("clues", queryset=Clue.objects.only("pk", "number")),
        Prefetch("moves", queryset=moves),
        "checks",
    )


# Export --------------------------------------------------------------------------------------

WIDTHS = [14, 30, 14, 24, 12, 16, 20, 10, 14, 16, 12, 16, 12, 10, 10, 8, 10, 24, 24, 24]


def case_ledger_rows(cases) -> Iterator[list]:
    """The cases as ledger rows in HEADERS order: dates as dates, labels in Chinese, units
    by full name, clue numbers and charges joined with 、."""
    pks = list(dict.fromkeys(cases.values_list("pk", flat=True)))  # in the queryset's order
    units = dict(Unit.objects.values_list("pk", "name"))
    for chunk in chunks(pks, 500):
        loaded = {c.pk: c for c in _with_details(Case.objects.filter(pk__in=chunk))}
        suspects = dict(
            Suspect.objects.filter(case_id__in=chunk)
            .values("case_id")
            .annotate(n=Count("pk"))
            .values_list("case_id", "n")
        )
        for pk in chunk:
            yield _ledger_row(loaded[pk], units, suspects.get(pk))


def _ledger_row(case: Case, units: dict, suspects: int | None) -> list:
    (name, kind, _charges, opened_on, opening_unit_id, _clues, stage, prosecuted_on,
     procuratorate_id, indicted_on, court_id, closed_on, closing_reason, is_typical, crude_oil,
     checks) = _projection(case)  # fmt: skip
    charges = sorted(case.charges.all(), key=lambda c: (c.sort_order, c.name))
    return [
        case.number, name, KIND_LABELS.get(kind, kind), "、".join(c.name for c in charges),
        opened_on, units.get(opening_unit_id, ""),
        "、".join(sorted(c.number for c in case.clues.all())), STAGE_LABELS.get(stage, stage),
        prosecuted_on, units.get(procuratorate_id, ""), indicted_on, units.get(court_id, ""),
        closed_on, CLOSING_LABELS.get(closing_reason, ""), suspects or None,
        YES if is_typical else NO, crude_oil, *checks,
    ]  # fmt: skip


def write_case_ledger(cases: QuerySet[Case], fileobj) -> None:
    """Write the cases (a queryset) as a case ledger .xlsx, streamed (write-only mode)."""
    write_ledger_sheet(fileobj, _("Case ledger"), HEADERS, WIDTHS, case_ledger_rows(cases))
