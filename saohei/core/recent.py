"""Counts a page shows that are costly to make and may be a little old: the to-do badge that
every page carries and the dashboard's figures (issue 10, load).

Counted afresh on every request, the badge alone was half the cost of an ordinary page on a
district of 100,000 clues (thirteen counts over clues, transfers and tasks), and the
dashboard's figures took a third of a second; fifty users reading pages saturated two cores. So
each is kept for a short while and shared by the requests that ask for the same thing:

- never older than `seconds` (what others have done since shows within that time);
- never older than the asking user's own last recorded action: what a user has just done
  shows on the very next page, whichever server process answers it (the audit log is the
  record of every change, and it is in the database all processes share).

The store is Django's cache (settings.CACHES: files under var/cache, shared by a host's worker
processes; no other server to run). A key names everything the value depends on: whose records
(the user, or the office's jurisdictions), which day, which language.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def last_action_at(user) -> float | None:
    """When the user last changed anything (their latest audit entry), as a timestamp; looked
    up once per request (one read of the (actor, at) index)."""
    if "_saohei_last_action" not in user.__dict__:
        from saohei.audit.models import AuditEntry

        at = (
            AuditEntry.objects.filter(actor_id=user.pk)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        user.__dict__["_saohei_last_action"] = at.timestamp() if at else None
    return user.__dict__["_saohei_last_action"]


def recent(
    key: str, compute: Callable[[], T], *, user, seconds: int, refresh: bool = False
) -> tuple[T, float]:
    """The value `compute()` gives, as made at most `seconds` ago and after `user`'s last
    action; with the time it was made (a timestamp), for a page that says "as at 14:32".
    `refresh`: make it afresh (the caller has what it needs at hand) and keep that."""
    key = f"saohei:recent:{key}"
    kept = None if refresh else cache.get(key)
    now = time.time()
    if kept is not None:
        made, value = kept
        acted = last_action_at(user)
        if now - made < seconds and (acted is None or acted < made):
            return value, made
    value = compute()
    cache.set(key, (now, value), seconds)
    return value, now
