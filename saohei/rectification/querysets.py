"""Who sees which inspection, problem and task (DESIGN §4), in one place.

- The campaign office (head, staff, custodian, district leader) sees every inspection of its
  jurisdiction and those below it, with all problems and tasks.
- An agency (handler, unit leader, discipline inspector) sees the tasks its unit is
  responsible for and the problems that concern it or that it has a task for, and the
  inspections behind them.
- Only the office sets inspections, problems and tasks, signs tasks off and reopens them;
  the responsible unit reports progress (see actions.py).
"""

from __future__ import annotations

from django.db.models import Q

from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
OFFICE_EDITORS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)
NOTHING = Q(pk__in=[])


def _problems_of_unit(unit_id):
    from .models import Problem, Task

    concerned = Problem.objects.filter(units_concerned=unit_id).values("pk")
    tasked = Task.objects.filter(responsible_unit_id=unit_id).values("problem_id")
    return Q(pk__in=concerned) | Q(pk__in=tasked)


def problem_visibility(user, prefix: str = "") -> Q:
    """The condition on problems (or on `prefix`-related problems) that `user` may see."""
    seen = NOTHING
    if user.has_role(*OFFICE_ROLES):
        seen |= Q(**{f"{prefix}inspection__jurisdiction_id__in": user.jurisdiction_ids})
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        from .models import Problem

        ids = Problem.objects.filter(_problems_of_unit(user.unit_id)).values("pk")
        seen |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": ids})
    return seen


def task_visibility(user, prefix: str = "") -> Q:
    seen = NOTHING
    if user.has_role(*OFFICE_ROLES):
        seen |= Q(**{f"{prefix}problem__inspection__jurisdiction_id__in": user.jurisdiction_ids})
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        from .models import Problem

        concerned = Problem.objects.filter(units_concerned=user.unit_id).values("pk")
        seen |= Q(**{f"{prefix}responsible_unit_id": user.unit_id}) | Q(
            **{f"{prefix}problem_id__in": concerned}
        )
    return seen


def _office_editor(user) -> bool:
    return bool(user.unit_id) and user.has_role(*OFFICE_EDITORS)


class InspectionQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        seen = NOTHING
        if user.has_role(*OFFICE_ROLES):
            seen |= Q(jurisdiction_id__in=user.jurisdiction_ids)
        if user.unit_id and user.has_role(*AGENCY_ROLES):
            from .models import Problem

            ids = Problem.objects.filter(_problems_of_unit(user.unit_id)).values("inspection_id")
            seen |= Q(pk__in=ids)
        return self.filter(seen)

    def scope_editable(self, user):
        if not _office_editor(user):
            return self.none()
        return self.filter(jurisdiction_id__in=user.jurisdiction_ids)


class ProblemQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(problem_visibility(user))

    def scope_editable(self, user):
        if not _office_editor(user):
            return self.none()
        return self.filter(inspection__jurisdiction_id__in=user.jurisdiction_ids)


class TaskQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(task_visibility(user))

    def scope_editable(self, user):
        """Tasks the office may change, sign off and reopen."""
        if not _office_editor(user):
            return self.none()
        return self.filter(problem__inspection__jurisdiction_id__in=user.jurisdiction_ids)

    def reportable_by(self, user):
        """Tasks the user may report progress on: those of their own unit."""
        if not user.unit_id or not user.has_perm("rectification.report_progress"):
            return self.none()
        return self.visible_to(user).filter(responsible_unit_id=user.unit_id)


class TaskRelatedQuerySet(ScopedQuerySet):
    """Progress reports, evidence files and task events: visible with their task."""

    def scope_visible(self, user):
        return self.filter(task_visibility(user, prefix="task__"))
