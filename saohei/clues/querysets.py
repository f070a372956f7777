"""Who sees which clue (DESIGN §4), in one place.

- The campaign office (head, staff, custodian, district leader) sees every clue of its
  jurisdiction and those below it.
- An agency (handler, unit leader, discipline inspector) sees the clues assigned to its unit,
  those it registered and those transferred to it.
- Umbrella (保护伞) clues: only the office head and the discipline commission they are
  assigned or transferred to, whoever registered them.
"""

from __future__ import annotations

from django.db.models import Q

from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role, UnitKind

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)
NOTHING = Q(pk__in=[])


def clue_visibility(user, prefix: str = "") -> Q:
    """The condition on clues (or on `prefix`-related clues) that `user` may see."""

    def q(**kwargs):
        return Q(**{f"{prefix}{k}": v for k, v in kwargs.items()})

    seen = NOTHING
    if user.has_role(*OFFICE_ROLES):
        seen |= q(jurisdiction_id__in=user.jurisdiction_ids)
    transferred = NOTHING
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        transferred = q(pk__in=_transferred_to(user.unit_id))
        seen |= q(assigned_unit_id=user.unit_id) | q(registering_unit_id=user.unit_id)
        seen |= transferred
    if not user.has_role(Role.OFFICE_ADMIN):
        umbrella_ok = NOTHING
        if user.unit_id and user.unit.kind == UnitKind.DISCIPLINE:
            umbrella_ok = q(assigned_unit_id=user.unit_id) | transferred
        seen &= ~q(category="umbrella") | umbrella_ok
    return seen


def _transferred_to(unit_id):
    """Clues transferred to a unit (移送): it must read what it is asked to answer."""
    from saohei.transfers.models import Transfer

    return Transfer.objects.filter(to_unit_id=unit_id, clue__isnull=False).values("clue_id")


class ClueQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(clue_visibility(user))

    def scope_editable(self, user):
        # Leaders read figures; they do not move clues.
        if not user.has_role(*(set(OFFICE_ROLES) - {Role.LEADER_VIEWER}), *AGENCY_ROLES):
            return self.none()
        return self.scope_visible(user)


class ClueRelatedQuerySet(ScopedQuerySet):
    """Moves, verification records, attachments: visible with their clue."""

    def scope_visible(self, user):
        return self.filter(clue_visibility(user, prefix="clue__"))
