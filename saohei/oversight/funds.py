"""Special funds (专项经费): what was allocated to each unit, what it spent, the reward payouts
for reports (举报奖励, paid from the campaign office's funds and recorded on the clue:
saohei.clues.models.Reward) counted as the paying office's spending, and the balances.

A reward counts once it is paid (status paid, on its payment day), for the unit of the office
staff member who proposed it: the office that pays it. Rewards are never entered by hand as
spending (the database refuses the purpose), so nothing is counted twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from saohei.clues.choices import RewardStatus
from saohei.clues.models import Reward

from .choices import FundPurpose

ZERO = Decimal(0)


def wan(amount) -> str:
    """An amount in yuan as 万元: 1310000 → 131, 35000 → 3.5."""
    value = Decimal(amount or 0) / 10000
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def paid_rewards(units: QuerySet, as_of: datetime.date | None = None) -> QuerySet:
    """Rewards paid by the offices among `units` (by the day, when given)."""
    rewards = Reward.objects.filter(status=RewardStatus.PAID, proposed_by__unit__in=units)
    if as_of is not None:
        rewards = rewards.filter(paid_on__lte=as_of)
    return rewards


@dataclass
class Balance:
    unit_id: int
    name: str
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    rewards: Decimal = ZERO

    @property
    def spent_total(self) -> Decimal:
        return self.spent + self.rewards

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent_total

    @property
    def overspent(self) -> bool:
        return self.balance < 0


def _by_unit(queryset: QuerySet, field: str = "unit") -> dict[int, Decimal]:
    rows = queryset.order_by().values(field).annotate(total=Sum("amount"))
    return {row[field]: row["total"] or ZERO for row in rows}


def balances(
    units: QuerySet,
    allocations: QuerySet,
    spending: QuerySet,
    as_of: datetime.date | None = None,
) -> tuple[list[Balance], Balance]:
    """Per unit of `units` with any money recorded: allocated, spent, rewards paid, balance;
    and the total. `allocations` and `spending` are already scoped to the user."""
    if as_of is not None:
        allocations = allocations.filter(allocated_on__lte=as_of)
        spending = spending.filter(spent_on__lte=as_of)
    allocated = _by_unit(allocations.filter(unit__in=units))
    spent = _by_unit(spending.filter(unit__in=units))
    rewards = _by_unit(paid_rewards(units, as_of), "proposed_by__unit")
    rows = []
    for unit in units.order_by("sort_order", "name"):
        if unit.pk not in allocated and unit.pk not in spent and unit.pk not in rewards:
            continue
        rows.append(
            Balance(
                unit.pk,
                str(unit),
                allocated.get(unit.pk, ZERO),
                spent.get(unit.pk, ZERO),
                rewards.get(unit.pk, ZERO),
            )
        )
    total = Balance(
        0,
        "",
        sum((r.allocated for r in rows), ZERO),
        sum((r.spent for r in rows), ZERO),
        sum((r.rewards for r in rows), ZERO),
    )
    return rows, total


def spending_by_purpose(
    units: QuerySet, spending: QuerySet, as_of: datetime.date | None = None
) -> list[tuple[str, str, Decimal]]:
    """(purpose, label, amount) for every purpose with spending, rewards paid included."""
    if as_of is not None:
        spending = spending.filter(spent_on__lte=as_of)
    sums = {
        row["purpose"]: row["total"]
        for row in spending.filter(unit__in=units)
        .order_by()
        .values("purpose")
        .annotate(total=Sum("amount"))
    }
    reward_total = paid_rewards(units, as_of).aggregate(t=Sum("amount"))["t"]
    if reward_total:
        sums[FundPurpose.REWARD] = reward_total
    return [(p, label, sums[p]) for p, label in FundPurpose.choices if sums.get(p)]
