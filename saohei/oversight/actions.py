"""The writes of the oversight app, one function each (STYLE habit 4): each checks the user's
permission and the unit they may record for, validates, writes in one transaction, and
reads the written row back through the user's scope (STYLE habit 3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.orgs.models import Unit
from saohei.reports.wording import WordingInputError

from .choices import FundPurpose, Method, PublicityKind
from .models import (
    AssessmentAnswer,
    AssessmentItem,
    AssessmentPeriod,
    FundAllocation,
    FundSpending,
    PublicityActivity,
    TrainingSession,
    TrainingTopic,
)
from .publicity import read_upload, wording_findings
from .querysets import AGENCY_ROLES, OFFICE_WRITERS


class OversightError(ValidationError):
    """Input the rules do not allow; the message says what to fix."""


def recordable_units(user):
    """The units `user` may record publicity, spending, training and answers for: every
    active unit of the jurisdiction for office staff, their own unit for a member unit."""
    units = Unit.objects.visible_to(user).filter(is_active=True)
    if user.has_role(*OFFICE_WRITERS):
        return units.filter(jurisdiction_id__in=user.jurisdiction_ids)
    if user.unit_id and user.has_role(*AGENCY_ROLES):
        return units.filter(pk=user.unit_id)
    return units.none()


def _require(user, perm: str, unit: Unit | None = None) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("You may not do this."))
    if unit is not None and not recordable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not record this for %(unit)s.") % {"unit": unit})


def _past(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise OversightError({field: _("%(day)s is in the future.") % {"day": day}})


def _still_visible(model, obj, user) -> None:
    if not model.objects.visible_to(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You could not see this record once saved."))


# Publicity ----------------------------------------------------------------------------------


def record_publicity(user, *, unit: Unit, upload=None, **fields) -> PublicityActivity:
    """Record a publicity activity; its text and file go through the wording check."""
    _require(user, "oversight.add_publicityactivity", unit)
    activity = PublicityActivity(unit=unit, recorded_by=user, **fields)
    _past(activity.held_on, "held_on")
    file_text = None
    if upload is not None:
        try:
            file_text = read_upload(upload)
        except WordingInputError as exc:
            raise OversightError({"file": str(exc)}) from exc
        if file_text is None and not activity.text.strip():
            raise OversightError(
                {
                    "text": _(
                        "The wording check cannot read a picture: type the text of the poster "
                        "(slogans, the reporting phone) here."
                    )
                }
            )
        activity.file, activity.file_name = upload, upload.name[:200]
    elif activity.kind == PublicityKind.POSTER and not activity.text.strip():
        raise OversightError(
            {"text": _("Type the text of the poster, or upload it, for the wording check.")}
        )
    activity.findings = wording_findings(activity.text, file_text, activity.file_name)
    activity.full_clean(exclude=["file"])
    with transaction.atomic():
        activity.save()
        _still_visible(PublicityActivity, activity, user)
    return activity


# Funds --------------------------------------------------------------------------------------


def record_allocation(user, *, unit: Unit, **fields) -> FundAllocation:
    _require(user, "oversight.add_fundallocation", unit)
    allocation = FundAllocation(unit=unit, recorded_by=user, **fields)
    _past(allocation.allocated_on, "allocated_on")
    allocation.full_clean()
    with transaction.atomic():
        allocation.save()
        _still_visible(FundAllocation, allocation, user)
    return allocation


def record_spending(user, *, unit: Unit, **fields) -> FundSpending:
    _require(user, "oversight.add_fundspending", unit)
    spending = FundSpending(unit=unit, recorded_by=user, **fields)
    if spending.purpose == FundPurpose.REWARD:
        raise OversightError(
            {
                "purpose": _(
                    "Reward payouts are counted from the clues' rewards: do not enter them by hand."
                )
            }
        )
    _past(spending.spent_on, "spent_on")
    spending.full_clean()
    with transaction.atomic():
        spending.save()
        _still_visible(FundSpending, spending, user)
    return spending


# Training -----------------------------------------------------------------------------------


def record_training(user, *, unit: Unit, **fields) -> TrainingSession:
    _require(user, "oversight.add_trainingsession", unit)
    session = TrainingSession(unit=unit, recorded_by=user, **fields)
    _past(session.held_on, "held_on")
    session.full_clean()
    with transaction.atomic():
        session.save()
        _still_visible(TrainingSession, session, user)
    return session


def add_topic(user, **fields) -> TrainingTopic:
    _require(user, "oversight.add_trainingtopic")
    topic = TrainingTopic(**fields)
    topic.full_clean()
    topic.save()
    return topic


# Assessment ---------------------------------------------------------------------------------


def create_period(user, *, name: str, start: datetime.date, end: datetime.date):
    _require(user, "oversight.add_assessmentperiod")
    if user.unit is None:
        raise PermissionDenied(_("You belong to no unit."))
    period = AssessmentPeriod(
        name=name, start=start, end=end, jurisdiction=user.unit.jurisdiction, created_by=user
    )
    period.full_clean()
    with transaction.atomic():
        period.save()
        _still_visible(AssessmentPeriod, period, user)
    return period


def answer_item(
    user,
    period: AssessmentPeriod,
    unit: Unit,
    item: AssessmentItem,
    *,
    done: bool = False,
    note: str = "",
    upload=None,
    full_time: int | None = None,
    part_time: int | None = None,
) -> AssessmentAnswer:
    """A unit's answer to an item answered with evidence or with its staff counts. Marking
    an item done needs evidence: a note or a file (kept from an earlier answer too)."""
    _require(user, "oversight.add_assessmentanswer", unit)
    if not AssessmentPeriod.objects.visible_to(user).filter(pk=period.pk).exists():
        raise PermissionDenied(_("You may not do this."))
    if item.computed:
        raise OversightError(_("This item is computed from the records; it is not answered."))
    with transaction.atomic():
        answer = (
            AssessmentAnswer.objects.select_for_update()
            .filter(period=period, unit=unit, item=item)
            .first()
        ) or AssessmentAnswer(period=period, unit=unit, item=item)
        answer.answered_by, answer.note = user, note.strip()
        if upload is not None:
            answer.file, answer.file_name = upload, upload.name[:200]
        if item.method == Method.STAFF:
            if full_time is None and part_time is None:
                raise OversightError(
                    _("Give the number of full-time and of part-time staff (0 for none).")
                )
            answer.full_time, answer.part_time = full_time or 0, part_time or 0
            answer.done = bool(answer.full_time or answer.part_time)
        else:
            answer.done = done
            if done and not answer.has_evidence:
                raise OversightError(
                    _("Marking “%(item)s” done needs evidence: a note or a file.")
                    % {"item": item.name}
                )
        answer.save()
        _still_visible(AssessmentAnswer, answer, user)
    return answer


def set_weights(user, weights: dict[int, Decimal]) -> int:
    """Change the weights of the items (item id → points); all or none. The number changed."""
    _require(user, "oversight.change_assessmentitem")
    changed = 0
    with transaction.atomic():
        items = AssessmentItem.objects.editable_by(user).select_for_update().filter(pk__in=weights)
        for item in items.order_by("pk"):
            weight = Decimal(weights[item.pk])
            if weight < 0:
                raise OversightError(
                    _("The weight of “%(item)s” cannot be negative.") % {"item": item.name}
                )
            if weight != item.weight:
                item.weight = weight
                item.save(update_fields=["weight", "updated_at"])
                changed += 1
    return changed
