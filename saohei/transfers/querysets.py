"""Who sees which transfer (DESIGN §4): the campaign office of the jurisdiction sees every
transfer (it must see that they run both ways and are answered); an agency sees what it sent
and what it received. The contents of an umbrella transfer (its reason and answer) are read
only by the two units and the office head: see Transfer.contents_visible_to."""

from __future__ import annotations

from django.db.models import Q

from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)


def transfer_visibility(user, prefix: str = "") -> Q:
    def q(**kwargs):
        return Q(**{f"{prefix}{k}": v for k, v in kwargs.items()})

    seen = Q(pk__in=[])
    if user.has_role(*OFFICE_ROLES):
        seen |= q(jurisdiction_id__in=user.jurisdiction_ids)
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        seen |= q(from_unit_id=user.unit_id) | q(to_unit_id=user.unit_id)
    return seen


class TransferQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(transfer_visibility(user))

    def scope_editable(self, user):
        """Transfers the user's unit sent or received (the office watches; it does not sign
        for another unit)."""
        if not user.unit_id or not user.has_role(
            *AGENCY_ROLES, Role.OFFICE_ADMIN, Role.OFFICE_STAFF
        ):
            return self.none()
        return self.filter(Q(from_unit_id=user.unit_id) | Q(to_unit_id=user.unit_id))


class TransferRelatedQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(transfer_visibility(user, prefix="transfer__"))
