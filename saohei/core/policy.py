"""The security policy as django-axes and the password validators read it."""

from datetime import timedelta

from .models import SecurityPolicy


def failure_limit(request, credentials) -> int:
    return SecurityPolicy.current().failure_limit


def cool_off(request=None) -> timedelta:
    return timedelta(minutes=SecurityPolicy.current().lockout_minutes)
