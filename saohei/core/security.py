"""Account lock-outs as the security administrator sees and lifts them."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.db.models import QuerySet
from django.utils import timezone

from .policy import cool_off, failure_limit


def locked_accounts() -> QuerySet[AccessAttempt]:
    """Usernames currently locked out: enough failures within the cool-off period."""
    since = timezone.now() - cool_off()
    return AccessAttempt.objects.filter(
        failures_since_start__gte=failure_limit(None, None), attempt_time__gte=since
    ).order_by("-attempt_time")


def unlock(username: str) -> int:
    from saohei.audit.models import Action
    from saohei.audit.services import record
    from saohei.orgs.twofactor import clear_throttling

    removed = reset(username=username)
    clear_throttling(username)  # wrong one-time codes lock the second step too
    record(Action.UNLOCKED, changes={"username": username, "attempts_cleared": removed})
    return removed


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out user sees (django-axes calls this): in Chinese, with the wait."""
    from django.shortcuts import render

    minutes = int(cool_off().total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
