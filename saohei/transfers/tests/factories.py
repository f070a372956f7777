import datetime

from django.utils import timezone

from saohei.core.workdays import add_workdays


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment on `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


__all__ = ["add_workdays", "at"]
