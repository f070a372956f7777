"""The assessment (考核) of member units for a period: each unit's checklist, its score under
the items' editable weights, the ranking, and the units that handed over no clue.

An item earns its weight times a fraction 0..1:
- answered with evidence: 1 when the unit marked it done and gave a note or a file, else 0;
- staff: 1 with a full-time staff member, 0.5 with part-time staff only, 0 with nobody;
- clues handed over: the clues the unit handed over in the period (成员单位移交,
  saohei.reports.figures.handed_over) over the item's target count, at most 1;
- publicity: the unit's publicity activities held in the period over the target, at most 1;
- rectification on time: of the unit's rectification tasks due in the period, the share done
  on time (saohei.rectification.summary.unit_task_summary); 1 when it had none;
- meetings: the unit's meetings held in the period with minutes written or filed, over the
  target (the register, saohei.campaigns);
- rules: the unit's rules and mechanisms issued by the period's end and in force then, over
  the target (the register).
Everything is computed in a fixed number of queries whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .choices import Method
from .models import AssessmentAnswer, AssessmentItem, AssessmentPeriod, PublicityActivity

ONE, HALF, ZERO = Decimal(1), Decimal("0.5"), Decimal(0)
POINT = Decimal("0.1")
# The share of units without a handed-over clue above which the page (and the briefing's
# complaint) says "over 80%".
NO_CLUE_ALARM = Decimal("0.8")


@dataclass
class ItemResult:
    item: AssessmentItem
    fraction: Decimal
    found: str  # what the records or the answer show, in words
    answer: AssessmentAnswer | None = None

    @property
    def points(self) -> Decimal:
        return (self.item.weight * self.fraction).quantize(POINT, ROUND_HALF_UP)


@dataclass
class UnitResult:
    unit: Unit
    items: list[ItemResult] = field(default_factory=list)
    rank: int = 0
    handed_over: int = 0

    @property
    def score(self) -> Decimal:
        return sum((r.points for r in self.items), ZERO)

    @property
    def missing(self) -> list[ItemResult]:
        return [r for r in self.items if r.fraction < ONE]


def assessed_units(period: AssessmentPeriod, units: QuerySet) -> QuerySet:
    """The member units assessed in the period: the active units of its jurisdiction (and
    those below it) among `units`, the campaign office itself left out."""
    return (
        units.filter(jurisdiction_id__in=period.jurisdiction.with_descendants(), is_active=True)
        .exclude(kind=UnitKind.OFFICE)
        .order_by("sort_order", "name")
    )


def handed_over_counts(period: AssessmentPeriod, clues: QuerySet) -> dict[int, int]:
    """Clues each unit handed over in the period, by unit id."""
    from saohei.reports.figures import handed_over

    counted = handed_over(clues, period.end).filter(received_on__gte=period.start)
    return dict(
        counted.order_by()
        .values_list("registering_unit")
        .annotate(n=Count("id"))
        .values_list("registering_unit", "n")
    )


def publicity_counts(period: AssessmentPeriod, activities: QuerySet) -> dict[int, int]:
    held = activities.filter(held_on__gte=period.start, held_on__lte=period.end)
    return dict(held.order_by().values("unit").annotate(n=Count("id")).values_list("unit", "n"))


def meetings_recorded(period: AssessmentPeriod, unit_ids: list[int]) -> dict[int, int]:
    """Meetings each unit held in the period with a record (minutes written or filed)."""
    from saohei.campaigns.models import Meeting

    held = Meeting.objects.filter(
        unit_id__in=unit_ids, held_on__gte=period.start, held_on__lte=period.end
    ).exclude(minutes="", file="")
    return dict(held.order_by().values("unit").annotate(n=Count("id")).values_list("unit", "n"))


def rules_in_force(period: AssessmentPeriod, unit_ids: list[int]) -> dict[int, int]:
    """Rules and mechanisms each unit issued by the period's end that are in force (one
    replaced is counted through the rule that replaced it)."""
    from saohei.campaigns.models import Regulation

    rules = Regulation.objects.filter(
        unit_id__in=unit_ids, issued_on__lte=period.end, state=Regulation.State.IN_FORCE
    )
    return dict(rules.order_by().values("unit").annotate(n=Count("id")).values_list("unit", "n"))


def rectification_summary(period: AssessmentPeriod, units: list[Unit]) -> dict | None:
    """unit id → TaskSummary(total, signed_off, on_time, overdue) for the period, or None
    when the rectification app does not provide it."""
    try:
        from saohei.rectification.summary import unit_task_summary
    except ImportError:
        return None
    return unit_task_summary(period.start, period.end, units=units)


def _counted(count: int, target: int) -> Decimal:
    return min(Decimal(count) / Decimal(target or 1), ONE)


def _evidence(answer: AssessmentAnswer | None) -> tuple[Decimal, str]:
    if answer is None:
        return ZERO, _("not answered")
    if not answer.done:
        return ZERO, _("not done")
    if not answer.has_evidence:
        return ZERO, _("marked done without evidence")
    return ONE, _("done, with evidence")


def _staff(answer: AssessmentAnswer | None) -> tuple[Decimal, str]:
    if answer is None or (answer.full_time is None and answer.part_time is None):
        return ZERO, _("not answered")
    full, part = answer.full_time or 0, answer.part_time or 0
    found = _("%(full)s full-time, %(part)s part-time") % {"full": full, "part": part}
    if full:
        return ONE, found
    return (HALF if part else ZERO), found


def _rectification(summary, unit_id: int) -> tuple[Decimal, str]:
    if summary is None:
        return ZERO, _("rectification records not available")
    tasks = summary.get(unit_id)
    if tasks is None or not tasks.total:
        return ONE, _("no rectification task due")
    found = _("%(on_time)s of %(total)s tasks on time, %(overdue)s overdue") % {
        "on_time": tasks.on_time,
        "total": tasks.total,
        "overdue": tasks.overdue,
    }
    return Decimal(tasks.on_time) / Decimal(tasks.total), found


def assess(
    period: AssessmentPeriod,
    units: QuerySet,
    *,
    clues: QuerySet,
    activities: QuerySet | None = None,
    items: list[AssessmentItem] | None = None,
) -> list[UnitResult]:
    """Each assessed unit of `units` (already scoped) with its checklist and score, ranked
    (equal scores share a rank: 1, 2, 2, 4). `clues` are the clues counted (the user's
    Scope), `activities` the publicity activities counted (scoped)."""
    if items is None:
        items = list(AssessmentItem.objects.filter(is_active=True))
    if activities is None:
        activities = PublicityActivity.objects.all()
    unit_list = list(assessed_units(period, units))
    ids = [u.pk for u in unit_list]
    answers = {
        (a.unit_id, a.item_id): a
        for a in AssessmentAnswer.objects.filter(period=period, unit_id__in=ids)
    }
    handed = handed_over_counts(period, clues)
    publicity = publicity_counts(period, activities.filter(unit_id__in=ids))
    meetings = meetings_recorded(period, ids)
    rules = rules_in_force(period, ids)
    needs_tasks = any(i.method == Method.RECTIFICATION for i in items)
    tasks = rectification_summary(period, unit_list) if needs_tasks else None

    results = []
    for unit in unit_list:
        result = UnitResult(unit=unit, handed_over=handed.get(unit.pk, 0))
        for item in items:
            answer = answers.get((unit.pk, item.pk))
            if item.method == Method.EVIDENCE:
                fraction, found = _evidence(answer)
            elif item.method == Method.STAFF:
                fraction, found = _staff(answer)
            elif item.method == Method.CLUES:
                n = result.handed_over
                fraction, found = _counted(n, item.target), _("%(n)s clues handed over") % {"n": n}
            elif item.method == Method.PUBLICITY:
                n = publicity.get(unit.pk, 0)
                fraction = _counted(n, item.target)
                found = _("%(n)s publicity activities") % {"n": n}
            elif item.method == Method.MEETINGS:
                n = meetings.get(unit.pk, 0)
                fraction = _counted(n, item.target)
                found = _("%(n)s meetings with records") % {"n": n}
            elif item.method == Method.RULES:
                n = rules.get(unit.pk, 0)
                fraction = _counted(n, item.target)
                found = _("%(n)s rules or mechanisms in force") % {"n": n}
            else:
                fraction, found = _rectification(tasks, unit.pk)
            result.items.append(ItemResult(item, fraction, found, answer))
        results.append(result)
    return rank(results)


def rank(results: list[UnitResult]) -> list[UnitResult]:
    """Highest score first; equal scores share a rank and keep the units' order."""
    ordered = sorted(results, key=lambda r: -r.score)
    previous = None
    for position, result in enumerate(ordered, start=1):
        if previous is None or result.score != previous.score:
            result.rank = position
        else:
            result.rank = previous.rank
        previous = result
    return ordered


def max_score(items: list[AssessmentItem]) -> Decimal:
    return sum((i.weight for i in items), ZERO)


@dataclass
class NoClueList:
    units: list[Unit]
    assessed: int

    @property
    def share(self) -> Decimal | None:
        if not self.assessed:
            return None
        return Decimal(len(self.units)) / Decimal(self.assessed)

    @property
    def percent(self) -> Decimal | None:
        share = self.share
        return None if share is None else (share * 100).quantize(POINT, ROUND_HALF_UP)

    @property
    def alarming(self) -> bool:
        return self.share is not None and self.share > NO_CLUE_ALARM


def units_without_clues(results: list[UnitResult]) -> NoClueList:
    """The assessed units that handed over no clue in the period, in the units' order."""
    silent = [
        r.unit
        for r in sorted(results, key=lambda r: (r.unit.sort_order, r.unit.name))
        if not r.handed_over
    ]
    return NoClueList(silent, len(results))
