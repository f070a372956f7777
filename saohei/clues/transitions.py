"""The clue's transition table: the one place that says which step may follow which, and who
may take it. Action functions (saohei.clues.actions) consult it; pages offer only the steps it
allows the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from saohei.orgs.choices import Role

from .choices import Status


def office(user, clue) -> bool:
    """Campaign-office staff of the clue's jurisdiction (not the read-only leader)."""
    return (
        user.has_role(Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN)
        and clue.jurisdiction_id in user.jurisdiction_ids
    )


def handling_unit(user, clue) -> bool:
    """A handler or leader of the unit the clue is assigned to."""
    return (
        clue.assigned_unit_id is not None
        and user.unit_id == clue.assigned_unit_id
        and user.has_role(Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)
    )


def handling_unit_leader(user, clue) -> bool:
    return (
        clue.assigned_unit_id is not None
        and user.unit_id == clue.assigned_unit_id
        and user.has_role(Role.UNIT_LEADER)
    )


def office_or_handling_unit(user, clue) -> bool:
    return office(user, clue) or handling_unit(user, clue)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[object, object], bool]


S = Status
STEPS: dict[str, Step] = {
    s.name: s
    for s in [
        Step("assign", _("Route to a unit"), frozenset({S.RECEIVED}), S.ASSIGNED, office),
        Step(
            "accept", _("Start verification"), frozenset({S.ASSIGNED}), S.VERIFYING, handling_unit
        ),
        Step(
            "return",
            _("Return for re-routing"),
            frozenset({S.ASSIGNED, S.VERIFYING}),
            S.RECEIVED,
            handling_unit,
        ),
        Step(
            "interim",
            _("Conclude for this stage"),
            frozenset({S.VERIFYING}),
            S.INTERIM,
            handling_unit,
        ),
        Step(
            "resume",
            _("Resume verification"),
            frozenset({S.INTERIM}),
            S.VERIFYING,
            office_or_handling_unit,
        ),
        Step(
            "request_conclusion",
            _("Ask to conclude"),
            frozenset({S.VERIFYING, S.INTERIM}),
            S.AWAITING_APPROVAL,
            handling_unit,
        ),
        Step(
            "approve",
            _("Approve the conclusion"),
            frozenset({S.AWAITING_APPROVAL}),
            S.CONCLUDED,
            handling_unit_leader,
        ),
        Step(
            "reject",
            _("Send back for more verification"),
            frozenset({S.AWAITING_APPROVAL}),
            S.VERIFYING,
            handling_unit_leader,
        ),
        Step("park", _("Park for later"), frozenset({S.RECEIVED}), S.PARKED, office),
        Step("unpark", _("Take out of parking"), frozenset({S.PARKED}), S.RECEIVED, office),
        Step(
            "merge",
            _("Merge as duplicate"),
            frozenset({S.RECEIVED, S.ASSIGNED, S.VERIFYING, S.INTERIM, S.PARKED}),
            S.MERGED,
            office,
        ),
    ]
}
# Registration creates the first move; it is not a step between statuses. (A ledger import
# writes the steps it reconstructs under their own names, marked {"imported": true}.)
REGISTER = "register"


def steps_for(user, clue) -> list[Step]:
    """The steps `user` may take on `clue` now."""
    return [s for s in STEPS.values() if clue.status in s.sources and s.allowed(user, clue)]
