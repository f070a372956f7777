"""Questions asked of many transfers: which are late, and the transfer matrix."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from saohei.orgs.choices import UnitKind

from .choices import OPEN_TRANSFER_STATUSES, TransferStatus
from .models import Transfer


def unacknowledged_late(transfers: QuerySet[Transfer], today: datetime.date | None = None):
    """Not signed for by the day they should have been."""
    today = today or timezone.localdate()
    return transfers.filter(status=TransferStatus.SENT, acknowledge_due__lt=today)


def transfers_unanswered(transfers: QuerySet[Transfer], today: datetime.date | None = None):
    """Still open after the day the answer was due."""
    today = today or timezone.localdate()
    return transfers.filter(status__in=OPEN_TRANSFER_STATUSES, answer_due__lt=today)


def transfer_matrix(
    transfers: QuerySet[Transfer], start: datetime.date | None, end: datetime.date
) -> dict:
    """Transfers sent between `start` and `end` (inclusive), by kind of sending unit × kind
    of receiving unit: how many were sent and how many were answered by `end`.

    Returns {"kinds": [...], "cells": {(from, to): {"sent": n, "answered": m}}, "rows": [...]}
    with a row per pair that has any transfer, ordered by unit kind.
    """
    tz = timezone.get_current_timezone()
    upto = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tz)
    sent = transfers.filter(sent_at__lt=upto)
    if start is not None:
        sent = sent.filter(sent_at__gte=datetime.datetime.combine(start, datetime.time(), tz))
    counts = sent.values("from_unit__kind", "to_unit__kind").annotate(
        sent=Count("id"),
        answered=Count("id", filter=Q(answered_at__lt=upto)),
        returned=Count("id", filter=Q(returned_at__lt=upto)),
    )
    cells = defaultdict(lambda: {"sent": 0, "answered": 0, "returned": 0})
    for row in counts:
        key = (row["from_unit__kind"], row["to_unit__kind"])
        for k in ("sent", "answered", "returned"):
            cells[key][k] += row[k]
    order = {kind: i for i, kind in enumerate(UnitKind.values)}
    rows = [
        {
            "from": f,
            "to": t,
            "from_label": str(UnitKind(f).label),
            "to_label": str(UnitKind(t).label),
            **cells[(f, t)],
        }
        for f, t in sorted(cells, key=lambda k: (order[k[0]], order[k[1]]))
    ]
    kinds = sorted({k for pair in cells for k in pair}, key=order.get)
    return {"kinds": kinds, "cells": dict(cells), "rows": rows}
