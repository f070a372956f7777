"""Deadline extensions, supervision notices (督办) and rewards (举报奖励): one function per
step, each checking who may take it and writing in one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.core.workdays import add_workdays
from saohei.orgs.choices import Role

from .actions import WorkflowError
from .choices import OPEN_STATUSES, Decision, Finding, NoticeLevel, RewardStatus, Status
from .models import Clue, ExtensionRequest, Reward, SupervisionNotice
from .transitions import handling_unit, office

# Working days a unit has to answer, by level: the stronger the notice, the shorter the time.
ANSWER_WORKDAYS = {
    NoticeLevel.REMIND: 10,
    NoticeLevel.URGE: 5,
    NoticeLevel.SUPERVISE: 5,
    NoticeLevel.LISTED: 3,
}


# Extensions --------------------------------------------------------------------------------


def request_extension(clue: Clue, user, *, workdays: int, reason: str) -> ExtensionRequest:
    if not handling_unit(user, clue) or clue.status not in OPEN_STATUSES:
        raise PermissionDenied(_("Only the handling unit asks for more time on an open clue."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason."))
    if not 1 <= workdays <= 60:
        raise WorkflowError(_("Ask for between 1 and 60 working days."))
    if clue.extensions.filter(decision=Decision.PENDING).exists():
        raise WorkflowError(_("An extension request for this clue is already waiting."))
    return ExtensionRequest.objects.create(
        clue=clue,
        requested_by=user,
        workdays=workdays,
        reason=reason.strip(),
        old_deadline=clue.deadline,
        new_deadline=add_workdays(clue.deadline, workdays),
    )


def decide_extension(request: ExtensionRequest, user, *, approve: bool, note: str = "") -> None:
    """The office approves (the deadline moves) or refuses."""
    with transaction.atomic():
        req = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        clue = Clue.objects.select_for_update().get(pk=req.clue_id)
        if not office(user, clue):
            raise PermissionDenied(_("Only the campaign office decides on extensions."))
        if req.decision != Decision.PENDING:
            raise WorkflowError(_("This request was already decided."))
        req.decision = Decision.APPROVED if approve else Decision.REFUSED
        req.decided_by, req.decided_at, req.note = user, timezone.now(), note.strip()
        req.save()
        if approve:
            clue.deadline = req.new_deadline
            clue.version += 1
            clue.save(update_fields=["deadline", "version", "updated_at"])
    request.refresh_from_db()


# Supervision notices -----------------------------------------------------------------------


def issue_notice(clue: Clue, user, *, level: str, text: str) -> SupervisionNotice:
    if not office(user, clue):
        raise PermissionDenied(_("Only the campaign office issues supervision notices."))
    if clue.assigned_unit_id is None or clue.status not in (*OPEN_STATUSES, Status.INTERIM):
        raise WorkflowError(_("Notices go to the unit handling an open clue."))
    if level not in NoticeLevel.values:
        raise WorkflowError(_("Choose the level of the notice."))
    if not text.strip():
        raise WorkflowError(_("Write what the unit must do."))
    return SupervisionNotice.objects.create(
        clue=clue,
        level=level,
        unit=clue.assigned_unit,
        text=text.strip(),
        issued_by=user,
        answer_due=add_workdays(timezone.localdate(), ANSWER_WORKDAYS[level]),
    )


def _notice_for_unit(notice: SupervisionNotice, user) -> SupervisionNotice:
    locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if user.unit_id != locked.unit_id or not user.has_role(
        Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE
    ):
        raise PermissionDenied(_("Only the unit the notice was sent to answers it."))
    return locked


def acknowledge_notice(notice: SupervisionNotice, user) -> None:
    """签收: the unit confirms it has received the notice."""
    with transaction.atomic():
        locked = _notice_for_unit(notice, user)
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = timezone.now(), user
            locked.save()
    notice.refresh_from_db()


def answer_notice(notice: SupervisionNotice, user, *, answer: str) -> None:
    if not answer.strip():
        raise WorkflowError(_("Write the answer."))
    with transaction.atomic():
        locked = _notice_for_unit(notice, user)
        if locked.answered_at is not None:
            raise WorkflowError(_("This notice was already answered."))
        now = timezone.now()
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, user
        locked.answered_at, locked.answered_by, locked.answer = now, user, answer.strip()
        locked.save()
    notice.refresh_from_db()


def unanswered_notices(notices):
    return notices.filter(answered_at__isnull=True)


# Rewards ------------------------------------------------------------------------------------


def reward_ceiling() -> Decimal:
    return Decimal(settings.SAOHEI_REWARD_CEILING)


def propose_reward(clue: Clue, user, *, amount: Decimal, basis: str) -> Reward:
    if not office(user, clue):
        raise PermissionDenied(_("Only the campaign office proposes rewards."))
    if clue.status != Status.CONCLUDED or clue.finding not in (
        Finding.SUBSTANTIATED,
        Finding.PARTLY,
    ):
        raise WorkflowError(
            _("Rewards are for concluded clues found substantiated or partly substantiated.")
        )
    if amount <= 0:
        raise WorkflowError(_("The amount must be more than zero."))
    ceiling = reward_ceiling()
    already = sum(r.amount for r in clue.rewards.exclude(status=RewardStatus.REFUSED))
    if already + amount > ceiling:
        raise WorkflowError(
            _(
                "The reward for one clue is at most %(ceiling)s yuan; %(already)s yuan is "
                "already proposed or paid, so at most %(left)s yuan more is possible."
            )
            % {
                "ceiling": f"{ceiling:,.0f}",
                "already": f"{already:,.2f}",
                "left": f"{max(ceiling - already, 0):,.2f}",
            },
            code="over_ceiling",
        )
    if not basis.strip():
        raise WorkflowError(_("State the basis of the reward."))
    return Reward.objects.create(clue=clue, amount=amount, basis=basis.strip(), proposed_by=user)


def decide_reward(reward: Reward, user, *, approve: bool) -> None:
    with transaction.atomic():
        locked = Reward.objects.select_for_update().get(pk=reward.pk)
        if not (user.has_perm("clues.approve_reward") and office(user, locked.clue)):
            raise PermissionDenied(_("Only the office head approves rewards."))
        if locked.proposed_by_id == user.pk:
            raise PermissionDenied(_("The person who proposed a reward cannot approve it."))
        if locked.status != RewardStatus.PROPOSED:
            raise WorkflowError(_("This reward was already decided."))
        locked.status = RewardStatus.APPROVED if approve else RewardStatus.REFUSED
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
    reward.refresh_from_db()


def record_payment(reward: Reward, user, *, paid_on: datetime.date, reference: str) -> None:
    with transaction.atomic():
        locked = Reward.objects.select_for_update().get(pk=reward.pk)
        if not office(user, locked.clue):
            raise PermissionDenied(_("Only the campaign office records payments."))
        if locked.status != RewardStatus.APPROVED:
            raise WorkflowError(_("Only an approved reward can be paid."))
        if not reference.strip():
            raise WorkflowError(_("Give the payment voucher number."))
        if paid_on > timezone.localdate():
            raise WorkflowError(_("The payment date cannot be in the future."))
        locked.status, locked.paid_on = RewardStatus.PAID, paid_on
        locked.payment_reference = reference.strip()
        locked.save()
    reward.refresh_from_db()
