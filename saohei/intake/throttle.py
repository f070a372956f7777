"""Rate limits for the portal: wrong receipt codes, submissions, follow-up messages.

Counters live in the database (one row per scope, source and window), so every process of
the portal shares them. A source is named by a keyed hash of its address: the address itself
is never written, and a row is deleted once its window is over.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Throttle

GLOBAL = "*"

# (limit, window in seconds) per scope; a test or a deployment may override them with a
# setting of the same name.
DEFAULTS = {
    "SAOHEI_PORTAL_WRONG_CODES_PER_SOURCE": (10, 3600),
    "SAOHEI_PORTAL_WRONG_CODES_GLOBAL": (300, 3600),
    "SAOHEI_PORTAL_REPORTS_PER_SOURCE": (5, 3600),
    "SAOHEI_PORTAL_REPORTS_GLOBAL": (200, 3600),
    "SAOHEI_PORTAL_MESSAGES_PER_REPORT": (20, 24 * 3600),
}


def limit(name: str) -> tuple[int, int]:
    return tuple(getattr(settings, name, DEFAULTS[name]))


def _key(scope: str, ident: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"intake-throttle|{scope}|{ident}".encode(), hashlib.sha256).hexdigest()


def _current(row: Throttle | None, window: int, now) -> int:
    if row is None or row.window_start <= now - datetime.timedelta(seconds=window):
        return 0
    return row.count


def exceeded(scope: str, ident: str, setting: str) -> bool:
    """True when `ident` has used up its allowance in `scope`."""
    allowed, window = limit(setting)
    row = Throttle.objects.filter(key=_key(scope, ident)).first()
    return _current(row, window, timezone.now()) >= allowed


def hit(scope: str, ident: str, setting: str) -> bool:
    """Count one event; True if it was still within the allowance."""
    allowed, window = limit(setting)
    now = timezone.now()
    with transaction.atomic():
        row, _created = Throttle.objects.select_for_update().get_or_create(
            key=_key(scope, ident), defaults={"window_start": now, "count": 0}
        )
        if _current(row, window, now) == 0:
            row.window_start, row.count = now, 0
        row.count += 1
        row.save(update_fields=["window_start", "count"])
        Throttle.objects.filter(window_start__lt=now - datetime.timedelta(days=1)).delete()
    return row.count <= allowed


def once(scope: str, ident: str) -> bool:
    """True the first time `ident` is seen in `scope` within a day (a challenge token is
    accepted once)."""
    now = timezone.now()
    with transaction.atomic():
        _row, created = Throttle.objects.get_or_create(
            key=_key(scope, ident), defaults={"window_start": now, "count": 1}
        )
    return created
