"""Gap-free document numbers: XS2019-0001, XS2019-0002, …

The counter row is locked for the rest of the caller's transaction, so a number is only
consumed if the object that carries it is saved: a rolled-back registration gives its number
back, and two requests never get the same one (PostgreSQL: row lock; SQLite: the write lock
that IMMEDIATE transactions take at BEGIN).
"""

from __future__ import annotations

from django.db import transaction

from .models import NumberSequence

WIDTH = 4


def next_number(kind: str, year: int) -> str:
    """Call inside the transaction that saves the numbered object."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number")
    NumberSequence.objects.bulk_create(
        [NumberSequence(kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    seq = NumberSequence.objects.select_for_update().get(kind=kind, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{kind}{year}-{seq.last:0{WIDTH}d}"
