"""Read models for the organisation pages: account overview and member-unit tables."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Count, Q

from .choices import Role
from .models import Unit, User


def member_units(user):
    """The units the user can see, each with its number of active accounts."""
    return (
        Unit.objects.visible_to(user)
        .select_related("jurisdiction", "parent")
        .annotate(active_users=Count("users", filter=Q(users__is_active=True)))
        .order_by(*Unit._meta.ordering)  # GROUP BY drops Meta.ordering
    )


def account_overview() -> dict:
    """What the system administrator needs on the home page."""
    by_role = dict(
        Group.objects.filter(name__in=Role.values)
        .annotate(n=Count("user", filter=Q(user__is_active=True)))
        .values_list("name", "n")
    )
    return {
        "roles": [(Role(r).label, by_role.get(r, 0)) for r in Role.values],
        "active": User.objects.filter(is_active=True).count(),
        "inactive": User.objects.filter(is_active=False).count(),
        "without_unit": User.objects.filter(unit__isnull=True, is_superuser=False).count(),
        "recent": User.objects.select_related("unit").order_by("-date_joined")[:8],
    }
