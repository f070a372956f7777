"""Training (培训): which units have not trained on a listed topic (a new judicial
interpretation, for instance) since it took effect, and which trained late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Min, QuerySet

from saohei.orgs.choices import UnitKind

from .models import TrainingSession, TrainingTopic


@dataclass
class TopicCoverage:
    topic: TrainingTopic
    trained: list[tuple[object, datetime.date, bool]] = field(default_factory=list)
    untrained: list = field(default_factory=list)  # units

    @property
    def share_untrained(self) -> float | None:
        whole = len(self.trained) + len(self.untrained)
        return round(len(self.untrained) / whole, 4) if whole else None


def member_units(units: QuerySet) -> QuerySet:
    """The units expected to train: active member units (the office itself left out)."""
    return units.filter(is_active=True).exclude(kind=UnitKind.OFFICE).order_by("sort_order", "name")


def coverage(
    topics: QuerySet, units: QuerySet, sessions: QuerySet, as_of: datetime.date | None = None
) -> list[TopicCoverage]:
    """For each listed topic: the units that trained on it (with their first session since
    it took effect, and whether that was after the topic's "train by" day) and the units
    that have not. `units` and `sessions` are already scoped to the user."""
    unit_list = list(member_units(units))
    result = []
    for topic in topics.filter(listed=True):
        held = sessions.filter(topic=topic, unit__in=[u.pk for u in unit_list])
        if topic.since:
            held = held.filter(held_on__gte=topic.since)
        if as_of is not None:
            held = held.filter(held_on__lte=as_of)
        first = dict(
            held.order_by().values("unit").annotate(d=Min("held_on")).values_list("unit", "d")
        )
        cov = TopicCoverage(topic)
        for unit in unit_list:
            if unit.pk in first:
                day = first[unit.pk]
                cov.trained.append((unit, day, bool(topic.due_by and day > topic.due_by)))
            else:
                cov.untrained.append(unit)
        result.append(cov)
    return result


def untrained_units(topic: TrainingTopic, units: QuerySet, sessions: QuerySet | None = None):
    """The member units of `units` with no session on `topic` since it took effect."""
    if sessions is None:
        sessions = TrainingSession.objects.all()
    qs = TrainingTopic.objects.filter(pk=topic.pk)
    return coverage(qs, units, sessions)[0].untrained if topic.listed else []
