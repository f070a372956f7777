"""Who sees which case (DESIGN §4), in one place.

- The campaign office sees every case of its jurisdiction, except that umbrella and
  corruption cases (涉黑涉恶腐败和保护伞) are read only by the office head among its staff.
- An agency sees the cases it opened, those it handles or handled at any stage (a court sees
  a case once it is handed to it for trial, not before), those transferred to it, and those
  where it is responsible for one of the three checks (一案三查).
"""

from __future__ import annotations

from django.db.models import Q

from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)


def units_cases(unit_id):
    """Ids of the cases a unit has had to do with: handled at a stage, transferred to it, or
    responsible for a check."""
    from saohei.transfers.models import Transfer

    from .models import StageMove, ThreeWayCheck

    return (
        Q(pk__in=StageMove.objects.filter(unit_id=unit_id).values("case_id"))
        | Q(
            pk__in=Transfer.objects.filter(to_unit_id=unit_id, case__isnull=False).values("case_id")
        )
        | Q(pk__in=ThreeWayCheck.objects.filter(responsible_unit_id=unit_id).values("case_id"))
    )


def case_visibility(user, prefix: str = "") -> Q:
    def q(**kwargs):
        return Q(**{f"{prefix}{k}": v for k, v in kwargs.items()})

    seen = Q(pk__in=[])
    if user.has_role(*OFFICE_ROLES):
        office = q(jurisdiction_id__in=user.jurisdiction_ids)
        if not user.has_role(Role.OFFICE_ADMIN):
            office &= ~q(kind="umbrella")
        seen |= office
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        mine = q(handling_unit_id=user.unit_id) | q(opening_unit_id=user.unit_id)
        involved = units_cases(user.unit_id)
        if prefix:
            involved = Q(**{f"{prefix}pk__in": _ids(user.unit_id)})
        seen |= mine | involved
    return seen


def _ids(unit_id):
    from .models import Case

    return Case.objects.filter(units_cases(unit_id)).values("pk")


def handles(user, case) -> bool:
    """A handler or leader of the unit handling the case now."""
    return (
        case.handling_unit_id is not None
        and user.unit_id == case.handling_unit_id
        and user.has_role(*AGENCY_ROLES)
    )


class CaseQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(case_visibility(user))

    def scope_editable(self, user):
        if not user.unit_id or not user.has_role(*AGENCY_ROLES):
            return self.none()
        return self.scope_visible(user).filter(handling_unit_id=user.unit_id)


class CaseRelatedQuerySet(ScopedQuerySet):
    """Suspects, assets, stage moves, checks, officials: visible with their case."""

    def scope_visible(self, user):
        return self.filter(case_visibility(user, prefix="case__"))
