"""The discipline commission's side: how it disposes of the umbrella clues it receives (四类
处置方式), each with its own working-day limit and a leader's sign-off."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.models import Clue
from saohei.core.workdays import add_workdays
from saohei.orgs.choices import Role, UnitKind

from .actions import CaseError
from .choices import CaseKind, DisposalStatus, DisposalWay
from .models import Case, Disposal, DisposalRule

DEFAULT_WORKDAYS = 15


def limit(way: str) -> int:
    rule = DisposalRule.objects.filter(way=way).first()
    return rule.workdays if rule else DEFAULT_WORKDAYS


def _discipline_member(user) -> bool:
    return (
        user.unit_id is not None
        and user.unit.kind == UnitKind.DISCIPLINE
        and user.has_role(Role.DISCIPLINE, Role.UNIT_LEADER)
    )


def may_dispose_any(user) -> bool:
    return _discipline_member(user)


def may_dispose(user, clue: Clue) -> bool:
    return _discipline_member(user) and Clue.objects.visible_to(user).filter(pk=clue.pk).exists()


def propose(clue: Clue, user, *, way: str, reason: str, at=None) -> Disposal:
    if not may_dispose(user, clue):
        raise PermissionDenied(_("Only the discipline commission disposes of this clue."))
    if way not in DisposalWay.values:
        raise CaseError(_("Choose one of the four ways of disposal."))
    if not reason.strip():
        raise CaseError(_("Say why this way of disposal fits the clue."))
    with transaction.atomic():
        Clue.objects.select_for_update().get(pk=clue.pk)
        waiting = Disposal.objects.filter(
            clue=clue,
            unit=user.unit,
            status__in=(DisposalStatus.PROPOSED, DisposalStatus.APPROVED),
        )
        if waiting.exists():
            raise CaseError(_("A disposal of this clue is already waiting or under way."))
        disposal = Disposal.objects.create(
            clue=clue, unit=user.unit, way=way, reason=reason.strip(), proposed_by=user
        )
        if at is not None:  # a dated history (ledger, demo): the proposal's day is created_at
            Disposal.objects.filter(pk=disposal.pk).update(created_at=at)
            disposal.created_at = at
        return disposal


def sign_off(disposal: Disposal, user, *, approve: bool, note: str = "", at=None) -> Disposal:
    """A leader of the commission approves (the limit starts to run) or refuses."""
    with transaction.atomic():
        locked = Disposal.objects.select_for_update().get(pk=disposal.pk)
        if not (
            user.unit_id == locked.unit_id
            and user.has_role(Role.UNIT_LEADER)
            and user.has_perm("cases.sign_off_disposal")
        ):
            raise PermissionDenied(_("A leader of the commission signs off disposals."))
        if locked.proposed_by_id == user.pk:
            raise PermissionDenied(_("Someone other than the proposer signs off."))
        if locked.status != DisposalStatus.PROPOSED:
            raise CaseError(_("This disposal was already signed off."))
        when = at or timezone.now()
        locked.decided_by, locked.decided_at, locked.decision_note = user, when, note.strip()
        if approve:
            locked.status = DisposalStatus.APPROVED
            locked.due = add_workdays(timezone.localdate(when), limit(locked.way))
        else:
            locked.status = DisposalStatus.REFUSED
        locked.save()
    disposal.refresh_from_db()
    return disposal


def complete(
    disposal: Disposal,
    user,
    *,
    result: str,
    case: Case | None = None,
    on: datetime.date | None = None,
) -> Disposal:
    if not (_discipline_member(user) and user.unit_id == disposal.unit_id):
        raise PermissionDenied(_("Only the discipline commission records the result."))
    if not result.strip():
        raise CaseError(_("Write the result of the disposal."))
    if case is not None and (
        case.kind != CaseKind.UMBRELLA
        or not Case.objects.visible_to(user).filter(pk=case.pk).exists()
    ):
        raise CaseError(_("Link an umbrella or corruption case of your commission."))
    with transaction.atomic():
        locked = Disposal.objects.select_for_update().get(pk=disposal.pk)
        if locked.status != DisposalStatus.APPROVED:
            raise CaseError(_("Only a signed-off disposal can be completed."))
        locked.status, locked.result, locked.case = DisposalStatus.DONE, result.strip(), case
        locked.completed_on = on or timezone.localdate()
        locked.save()
    disposal.refresh_from_db()
    return disposal


def overdue_disposals(disposals: QuerySet[Disposal], today: datetime.date | None = None):
    today = today or timezone.localdate()
    return disposals.filter(status=DisposalStatus.APPROVED, due__lt=today)
