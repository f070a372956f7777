"""Workflow steps on clues: one function per step (STYLE habit 4).

Each locks the clue row, checks the transition table (status, role and unit of the user),
applies its change, bumps the version (a stale form gets a conflict, not a silent overwrite)
and writes the Move that records who, when, from, to and why. The generic change log in the
audit app records the field changes underneath.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import jsonable
from saohei.core.numbering import next_number
from saohei.core.workdays import add_workdays
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .choices import Category, Finding, Status
from .models import Attachment, Clue, DeadlineRule, Move, VerificationRecord
from .transitions import REGISTER, STEPS, handling_unit
from .transitions import office as is_office

DEFAULT_WORKDAYS = 20


class WorkflowError(ValidationError):
    """A step the clue's state or the input does not allow; the message says what to do."""


class ConflictError(WorkflowError):
    """Someone else moved the clue since the user loaded it."""


def _today(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at) if at else timezone.localdate()


def verification_limit(category: str) -> int:
    rule = DeadlineRule.objects.filter(category=category).first()
    return rule.workdays if rule else DEFAULT_WORKDAYS


def _transition(
    clue: Clue,
    name: str,
    user,
    *,
    reason: str = "",
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
    require_reason: bool = False,
    apply: Callable[[Clue], list[str]] | None = None,
    data: dict | None = None,
) -> Move:
    step = STEPS[name]
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed clue %(number)s while you were working on it. "
                    "Reload the page to see its current state, then try again."
                )
                % {"number": locked.number},
                code="conflict",
            )
        if locked.status not in step.sources:
            raise WorkflowError(
                _("Clue %(number)s is %(status)s: “%(step)s” is not possible now.")
                % {
                    "number": locked.number,
                    "status": locked.get_status_display(),
                    "step": step.label,
                },
                code="wrong_status",
            )
        if not step.allowed(user, locked):
            raise PermissionDenied(
                _("You may not “%(step)s” on clue %(number)s.")
                % {"step": step.label, "number": locked.number}
            )
        if require_reason and not reason.strip():
            raise WorkflowError(_("Give a reason."), code="reason_required")
        from_status = locked.status
        changed = apply(locked) if apply else []
        locked.status = step.target
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at", *changed])
        move = Move.objects.create(
            clue=locked,
            at=at or timezone.now(),
            action=name,
            from_status=from_status,
            to_status=step.target,
            actor=user,
            actor_unit=user.unit,
            unit=locked.assigned_unit,
            reason=reason.strip(),
            data=jsonable(data or {}),
        )
    clue.refresh_from_db()
    return move


def _require(clue: Clue, name: str, user) -> None:
    """Refuse a user who may not take the step at all, before looking at their input."""
    step = STEPS[name]
    if not step.allowed(user, clue):
        raise PermissionDenied(
            _("You may not “%(step)s” on clue %(number)s.")
            % {"step": step.label, "number": clue.number}
        )


# Registration -------------------------------------------------------------------------------


def register(
    user, *, received_on: datetime.date, at: datetime.datetime | None = None, **fields
) -> Clue:
    """Register a clue; numbered XS{year}-{seq} in the same transaction (gap-free)."""
    if not user.has_perm("clues.register_clue") or user.unit is None:
        raise PermissionDenied(_("You may not register clues."))
    from .services import earlier_unfounded, search_text_for

    with transaction.atomic():
        clue = Clue(
            number=next_number("XS", received_on.year),
            jurisdiction=user.unit.jurisdiction,
            received_on=received_on,
            registered_by=user,
            registering_unit=user.unit,
            **fields,
        )
        if clue.anonymous:
            clue.informant_name = clue.informant_phone = clue.informant_id_number = ""
        clue.search_text = search_text_for(clue)
        clue.review_of = earlier_unfounded(clue.subjects, clue.jurisdiction_id)
        clue.full_clean(exclude=["number", "search_text"])
        clue.save()
        Move.objects.create(
            clue=clue,
            at=at or timezone.now(),
            action=REGISTER,
            from_status="",
            to_status=Status.RECEIVED,
            actor=user,
            actor_unit=user.unit,
        )
    return clue


# Steps --------------------------------------------------------------------------------------


def assign(
    clue: Clue, user, unit: Unit, *, deadline: datetime.date | None = None, reason: str = "", **kw
) -> Move:
    """Route (分流/交办) to the unit that must verify, with a deadline in working days."""
    _require(clue, "assign", user)
    if unit.kind == UnitKind.OFFICE:
        raise WorkflowError(_("Route the clue to a member unit, not to the office."))
    if unit.jurisdiction_id not in user.jurisdiction_ids:
        raise WorkflowError(_("%(unit)s is not a unit of your jurisdiction.") % {"unit": unit})
    if clue.category == Category.UMBRELLA and unit.kind != UnitKind.DISCIPLINE:
        raise WorkflowError(
            _("Umbrella and corruption clues go to the discipline inspection commission."),
            code="umbrella_to_discipline",
        )
    day = _today(kw.get("at"))
    due = deadline or add_workdays(day, verification_limit(clue.category))
    if due < day:
        raise WorkflowError(_("The deadline cannot be before today."))

    def apply(c):
        c.assigned_unit, c.assigned_on, c.deadline = unit, day, due
        c.finding, c.result, c.concluded_on = "", "", None
        return ["assigned_unit", "assigned_on", "deadline", "finding", "result", "concluded_on"]

    return _transition(
        clue,
        "assign",
        user,
        reason=reason,
        apply=apply,
        data={"unit": unit.pk, "deadline": due},
        **kw,
    )


def accept(clue: Clue, user, *, reason: str = "", **kw) -> Move:
    return _transition(clue, "accept", user, reason=reason, **kw)


def return_clue(clue: Clue, user, *, reason: str, **kw) -> Move:
    """退回: the unit says the clue is not theirs; it goes back to the office for re-routing."""

    def apply(c):
        c.assigned_unit, c.assigned_on, c.deadline = None, None, None
        return ["assigned_unit", "assigned_on", "deadline"]

    return _transition(clue, "return", user, reason=reason, require_reason=True, apply=apply, **kw)


def interim(clue: Clue, user, *, result: str, **kw) -> Move:
    if not result.strip():
        raise WorkflowError(_("Say what was found at this stage."))
    day = _today(kw.get("at"))

    def apply(c):
        c.result, c.concluded_on = result.strip(), day
        return ["result", "concluded_on"]

    return _transition(clue, "interim", user, reason=result, apply=apply, **kw)


def resume(clue: Clue, user, *, reason: str = "", **kw) -> Move:
    def apply(c):
        c.concluded_on = None
        return ["concluded_on"]

    return _transition(clue, "resume", user, reason=reason, apply=apply, **kw)


def request_conclusion(
    clue: Clue,
    user,
    *,
    finding: str,
    result: str,
    led_to_case: bool = False,
    case_number: str = "",
    **kw,
) -> Move:
    if finding not in Finding.values:
        raise WorkflowError(_("Choose a finding: substantiated, partly or unfounded."))
    if not result.strip():
        raise WorkflowError(_("Write the result of the verification."))
    if led_to_case and not case_number.strip():
        raise WorkflowError(_("Give the case number when the clue led to a case."))

    def apply(c):
        c.finding, c.result = finding, result.strip()
        c.led_to_case, c.case_number = led_to_case, case_number.strip()
        return ["finding", "result", "led_to_case", "case_number"]

    return _transition(
        clue,
        "request_conclusion",
        user,
        reason=result,
        apply=apply,
        data={"finding": finding, "led_to_case": led_to_case},
        **kw,
    )


def approve(clue: Clue, user, *, reason: str = "", **kw) -> Move:
    """The unit leader signs the conclusion (查结)."""
    day = _today(kw.get("at"))

    def apply(c):
        c.concluded_on = day
        return ["concluded_on"]

    return _transition(clue, "approve", user, reason=reason, apply=apply, **kw)


def reject(clue: Clue, user, *, reason: str, **kw) -> Move:
    return _transition(clue, "reject", user, reason=reason, require_reason=True, **kw)


def park(clue: Clue, user, *, reason: str, until: datetime.date, **kw) -> Move:
    if until is None or until <= _today(kw.get("at")):
        raise WorkflowError(_("Give a review date after today."))

    def apply(c):
        c.parked_until = until
        return ["parked_until"]

    return _transition(
        clue,
        "park",
        user,
        reason=reason,
        require_reason=True,
        apply=apply,
        data={"until": until},
        **kw,
    )


def unpark(clue: Clue, user, *, reason: str = "", **kw) -> Move:
    def apply(c):
        c.parked_until = None
        return ["parked_until"]

    return _transition(clue, "unpark", user, reason=reason, apply=apply, **kw)


def merge(clue: Clue, user, *, into: Clue, reason: str = "", **kw) -> Move:
    """Merge a duplicate into the clue that carries on."""
    _require(clue, "merge", user)
    if into.pk == clue.pk:
        raise WorkflowError(_("A clue cannot be merged into itself."))
    if into.status == Status.MERGED:
        raise WorkflowError(
            _("%(number)s was itself merged; merge into %(target)s instead.")
            % {"number": into.number, "target": into.merged_into}
        )
    if not Clue.objects.visible_to(user).filter(pk=into.pk).exists():
        raise WorkflowError(_("Clue %(number)s was not found.") % {"number": into.number})

    def apply(c):
        c.merged_into = into
        return ["merged_into"]

    return _transition(
        clue, "merge", user, reason=reason, apply=apply, data={"into": into.number}, **kw
    )


# Verification records ----------------------------------------------------------------------


def add_verification(
    clue: Clue, user, *, done_on: datetime.date, work: str, evidence: str = ""
) -> VerificationRecord:
    if clue.status not in (Status.VERIFYING, Status.INTERIM) or not handling_unit(user, clue):
        raise PermissionDenied(_("Only the handling unit records verification work."))
    if not work.strip():
        raise WorkflowError(_("Say what was done."))
    if done_on > timezone.localdate():
        raise WorkflowError(_("The date of the work cannot be in the future."))
    return VerificationRecord.objects.create(
        clue=clue, done_on=done_on, work=work.strip(), evidence=evidence.strip(), recorded_by=user
    )


def record_informant_contact(clue: Clue, user, *, on: datetime.date) -> None:
    """The office told a named informant the result (反馈)."""
    if not is_office(user, clue) or clue.status != Status.CONCLUDED:
        raise PermissionDenied(_("Only the office records feedback on concluded clues."))
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        locked.informant_contacted_on = on
        locked.save(update_fields=["informant_contacted_on", "updated_at"])
    clue.refresh_from_db()


def attach(clue: Clue, user, upload, move: Move | None = None) -> Attachment:
    """Evidence and documents: the office and the handling unit add them."""
    if not (is_office(user, clue) or handling_unit(user, clue)):
        raise PermissionDenied(_("Only the office and the handling unit add files."))
    name = upload.name.replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(clue=clue, move=move, name=name, uploaded_by=user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
