"""Who sees which oversight record (DESIGN §4), in one place.

- The campaign office (head, staff, custodian, district leader) sees the records of every
  unit of its jurisdiction and those below it; its staff (not the district leader) edit them.
- A member unit (handler, unit leader, discipline inspector) sees and edits its own unit's
  records: its publicity, its spending, its training, its answers to the assessment.
- Periods, items and topics are the district's lists: every business role reads them; the
  office keeps them (the permissions say who).
"""

from __future__ import annotations

from django.db.models import Q

from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
OFFICE_WRITERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)
NOTHING = Q(pk__in=[])


def is_office(user) -> bool:
    return user.reads_case_data and user.has_role(*OFFICE_ROLES)


def unit_condition(user, path: str, office_roles) -> Q:
    seen = NOTHING
    if user.has_role(*office_roles):
        seen |= Q(**{f"{path}__jurisdiction_id__in": user.jurisdiction_ids})
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        seen |= Q(**{f"{path}_id": user.unit_id})
    return seen


class UnitRecordQuerySet(ScopedQuerySet):
    """Records of one unit: publicity, allocations, spending, training, answers."""

    unit_path = "unit"

    def scope_visible(self, user):
        return self.filter(unit_condition(user, self.unit_path, OFFICE_ROLES))

    def scope_editable(self, user):
        return self.filter(unit_condition(user, self.unit_path, OFFICE_WRITERS))


class AllocationQuerySet(UnitRecordQuerySet):
    def scope_editable(self, user):
        # The office allocates the special funds; a unit records only what it spends.
        if not user.has_role(*OFFICE_WRITERS):
            return self.none()
        return self.filter(unit__jurisdiction_id__in=user.jurisdiction_ids)


class PeriodQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        if not user.has_role(*OFFICE_ROLES, *AGENCY_ROLES):
            return self.none()
        return self.filter(jurisdiction_id__in=user.jurisdiction_ids)

    def scope_editable(self, user):
        if not user.has_perm("oversight.change_assessmentperiod"):
            return self.none()
        return self.filter(jurisdiction_id__in=user.jurisdiction_ids)


class ListQuerySet(ScopedQuerySet):
    """The shared lists (assessment items, training topics): read by every business role,
    kept by whoever holds the model's change permission."""

    def scope_visible(self, user):
        return self.all() if user.has_role(*OFFICE_ROLES, *AGENCY_ROLES) else self.none()

    def scope_editable(self, user):
        perm = f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"
        return self.all() if user.has_perm(perm) else self.none()
