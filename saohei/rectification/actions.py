"""Workflow steps of rectification (STYLE habit 4): one function per step.

Each step locks the task row, checks the task's status against the transition table and who
may take it, applies its change, bumps the version (a stale form gets a conflict, not a
silent overwrite) and writes the TaskEvent that records who, when, from, to and why. The
generic change log of the audit app records the field changes underneath.

Who does what:
- the campaign office records inspections, problems and tasks (`editable_by`);
- the responsible unit reports progress with evidence and reports the task done;
- the office signs it off (销号) — never the task's responsible person, nor whoever
  reported it done — with a note and the evidence checked, or sends it back;
- a follow-up review (回头看) reopens a signed-off task, with the reason and a new deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.audit.services import jsonable
from saohei.orgs.models import Unit

from .choices import OPEN_STATUSES, EventKind, InspectionKind, TaskStatus
from .models import Evidence, Inspection, Problem, ProblemCategory, ProgressReport, Task, TaskEvent


class RectificationError(ValidationError):
    """A step the task's state or the input does not allow; the message says what to do."""


class ConflictError(RectificationError):
    """Someone else changed the task since the user loaded it."""


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change


STEPS = {
    "progress": Step(gettext_lazy("report progress"), (*OPEN_STATUSES, TaskStatus.REPORTED), None),
    "report_done": Step(gettext_lazy("report the task done"), OPEN_STATUSES, TaskStatus.REPORTED),
    "send_back": Step(gettext_lazy("send back"), (TaskStatus.REPORTED,), TaskStatus.IN_PROGRESS),
    "sign_off": Step(gettext_lazy("sign off"), (TaskStatus.REPORTED,), TaskStatus.SIGNED_OFF),
    "reopen": Step(gettext_lazy("reopen"), (TaskStatus.SIGNED_OFF,), TaskStatus.REOPENED),
    "edit": Step(gettext_lazy("change the task"), (*OPEN_STATUSES, TaskStatus.REPORTED), None),
    "deadline": Step(
        gettext_lazy("change the deadline"), (*OPEN_STATUSES, TaskStatus.REPORTED), None
    ),
}


def _today(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at) if at else timezone.localdate()


def _require_office(user, message: str) -> None:
    if user.unit_id is None or not user.has_perm("rectification.add_task"):
        raise PermissionDenied(message)


# Inspections, problems, tasks -----------------------------------------------------------------


def create_inspection(
    user,
    *,
    kind: str,
    title: str,
    inspecting_body: str,
    date: datetime.date,
    follows: Inspection | None = None,
) -> Inspection:
    """Record an inspection and the body that made it (the city's inspection team, …)."""
    if user.unit_id is None or not user.has_perm("rectification.add_inspection"):
        raise PermissionDenied(_("Only the campaign office records inspections."))
    if kind not in InspectionKind.values:
        raise RectificationError(_("Choose the kind of inspection."))
    if not title.strip() or not inspecting_body.strip():
        raise RectificationError(_("Give the inspection a title and name the inspecting body."))
    if follows is not None and not Inspection.objects.visible_to(user).filter(pk=follows.pk):
        raise PermissionDenied(_("You may only review an inspection you can see."))
    return Inspection.objects.create(
        jurisdiction=user.unit.jurisdiction,
        kind=kind,
        title=title.strip(),
        inspecting_body=inspecting_body.strip(),
        date=date,
        follows=follows,
        created_by=user,
    )


def add_problem(
    user,
    inspection: Inspection,
    *,
    category: ProblemCategory,
    text: str,
    units: Iterable[Unit] = (),
) -> Problem:
    """Add a problem the inspection fed back; numbered 1, 2, … within the inspection."""
    if not Inspection.objects.editable_by(user).filter(pk=inspection.pk).exists():
        raise PermissionDenied(_("Only the campaign office records the problems found."))
    if not text.strip():
        raise RectificationError(_("Describe the problem as the inspection fed it back."))
    units = list(units)
    _check_units(user, units)
    with transaction.atomic():
        Inspection.objects.select_for_update().get(pk=inspection.pk)
        last = inspection.problems.aggregate(n=Max("number"))["n"] or 0
        problem = Problem.objects.create(
            inspection=inspection, category=category, number=last + 1, text=text.strip()
        )
        problem.units_concerned.set(units)
    return problem


def _check_units(user, units: Iterable[Unit]) -> None:
    allowed = set(user.jurisdiction_ids)
    outside = [str(u) for u in units if u.jurisdiction_id not in allowed]
    if outside:
        raise RectificationError(
            _("%(units)s: not a unit of your jurisdiction.") % {"units": "、".join(outside)}
        )


def add_task(
    user,
    problem: Problem,
    *,
    measures: str,
    responsible_unit: Unit,
    responsible_person: str,
    deadline: datetime.date,
    milestones: str = "",
    responsible_user=None,
    set_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Task:
    """Set a task for a problem: measures, responsible unit and person, deadline."""
    if not Problem.objects.editable_by(user).filter(pk=problem.pk).exists():
        raise PermissionDenied(_("Only the campaign office sets rectification tasks."))
    set_on = set_on or _today(at)
    if not measures.strip():
        raise RectificationError(_("Write the rectification measures."))
    if not responsible_person.strip():
        raise RectificationError(_("Name the person responsible for the task."))
    if set_on > timezone.localdate():
        raise RectificationError(_("A task cannot be set on a day still to come."))
    if set_on < problem.inspection.date:
        raise RectificationError(
            _("The task is set before the inspection's feedback (%(date)s).")
            % {"date": problem.inspection.date.isoformat()}
        )
    if deadline < set_on:
        raise RectificationError(
            _("The deadline %(deadline)s is before the day the task is set (%(set_on)s).")
            % {"deadline": deadline.isoformat(), "set_on": set_on.isoformat()}
        )
    _check_units(user, [responsible_unit])
    if responsible_user is not None and responsible_user.unit_id != responsible_unit.pk:
        raise RectificationError(
            _("The responsible person's account belongs to another unit than %(unit)s.")
            % {"unit": responsible_unit}
        )
    with transaction.atomic():
        task = Task.objects.create(
            problem=problem,
            measures=measures.strip(),
            responsible_unit=responsible_unit,
            responsible_person=responsible_person.strip(),
            responsible_user=responsible_user,
            set_on=set_on,
            deadline=deadline,
            milestones=milestones.strip(),
        )
        # The task exists from the start of the day it is set.
        when = at or timezone.make_aware(datetime.datetime.combine(set_on, datetime.time.min))
        _event(task, EventKind.CREATED, user, "", at=when)
    return task


def _event(task: Task, kind: str, user, from_status: str, *, at=None, reason="", data=None):
    return TaskEvent.objects.create(
        task=task,
        at=at or timezone.now(),
        kind=kind,
        from_status=from_status,
        status=task.status,
        deadline=task.deadline,
        actor=user,
        actor_unit=getattr(user, "unit", None),
        reason=reason.strip(),
        data=jsonable(data or {}),
    )


# Steps on a task ------------------------------------------------------------------------------


def _step(
    task: Task,
    name: str,
    user,
    *,
    allowed: Callable[[Task], bool] | None = None,
    refused: str = "",
    apply: Callable[[Task], list[str]] | None = None,
    event: str,
    reason: str = "",
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
    data: dict | None = None,
) -> TaskEvent:
    step = STEPS[name]
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        # A rule that needs the locked row (the caller checked the rest before).
        if allowed is not None and not allowed(locked):
            raise PermissionDenied(refused)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed this task while you were working on it. "
                    "Reload the page to see its current state, then try again."
                ),
                code="conflict",
            )
        if locked.status not in step.sources:
            raise RectificationError(
                _("The task is %(status)s: “%(step)s” is not possible now.")
                % {"status": locked.get_status_display(), "step": step.label},
                code="wrong_status",
            )
        from_status = locked.status
        changed = apply(locked) if apply else []
        if step.target is not None:
            locked.status = step.target
            changed.append("status")
        locked.version += 1
        locked.save(update_fields=[*set(changed), "version", "updated_at"])
        done = _event(locked, event, user, from_status, at=at, reason=reason, data=data)
    task.refresh_from_db()
    return done


def responsible(user, task: Task) -> bool:
    """The user reports for the task's responsible unit."""
    return user.unit_id == task.responsible_unit_id and user.has_perm(
        "rectification.report_progress"
    )


def supervises(user, task: Task) -> bool:
    """The user may sign off, send back, reopen and reschedule the task (the office)."""
    return user.has_perm("rectification.sign_off_task") and (
        Task.objects.editable_by(user).filter(pk=task.pk).exists()
    )


def is_responsible_person(user, task: Task) -> bool:
    if task.responsible_user_id is not None and task.responsible_user_id == user.pk:
        return True
    name = (user.full_name or "").strip()
    return (
        bool(name)
        and name == task.responsible_person.strip()
        and (user.unit_id == task.responsible_unit_id)
    )


def report_progress(
    task: Task,
    user,
    *,
    text: str,
    files: Iterable = (),
    done: bool = False,
    day: datetime.date | None = None,
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """The responsible unit says what it has done, with evidence files; `done` reports the
    task finished and asks for the sign-off (申请销号)."""
    if not text.strip():
        raise RectificationError(_("Write what your unit has done."))
    files = list(files)
    day = day or _today(at)
    if day > timezone.localdate():
        raise RectificationError(_("A progress report cannot be dated in the future."))
    with transaction.atomic():
        if done and not files and not task.evidence.exists():
            raise RectificationError(
                _("Attach the evidence (documents, minutes, photos) before reporting it done.")
            )
        report_holder = {}

        def apply(locked):
            report_holder["report"] = ProgressReport.objects.create(
                task=locked, date=day, text=text.strip(), reported_by=user, completes=done
            )
            for upload in files:
                attach(locked, user, upload, report=report_holder["report"])
            return []

        _step(
            task,
            "report_done" if done else "progress",
            user,
            allowed=lambda t: responsible(user, t),
            refused=_("Only the responsible unit reports progress on its task."),
            apply=apply,
            event=EventKind.REPORTED if done else EventKind.PROGRESS,
            reason=text,
            at=at,
            expected_version=expected_version,
            data={"files": len(files), "date": day},
        )
    return report_holder["report"]


def attach(task: Task, user, upload, report: ProgressReport | None = None) -> Evidence:
    name = upload.name.replace("/", "_").replace("\\", "_")[-200:]
    evidence = Evidence(task=task, report=report, name=name, uploaded_by=user)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


def sign_off(
    task: Task,
    user,
    *,
    note: str,
    evidence_checked: bool,
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> TaskEvent:
    """销号: the office confirms the task is done, having checked the evidence."""
    if not supervises(user, task):
        raise PermissionDenied(_("Only the campaign office signs rectification tasks off."))
    if is_responsible_person(user, task):
        raise PermissionDenied(
            _("You are the person responsible for this task: someone else must sign it off.")
        )
    last = task.events.filter(kind=EventKind.REPORTED).order_by("-at", "-id").first()
    if last is not None and last.actor_id == user.pk:
        raise PermissionDenied(
            _("You reported this task done: someone else must check it and sign it off.")
        )
    if not evidence_checked:
        raise RectificationError(_("Check the evidence and confirm that you did."))
    if not note.strip():
        raise RectificationError(_("Write a sign-off note: what was checked and found."))
    when = at or timezone.now()

    def apply(t):
        t.signed_off_at, t.signed_off_by, t.sign_off_note = when, user, note.strip()
        return ["signed_off_at", "signed_off_by", "sign_off_note"]

    return _step(
        task,
        "sign_off",
        user,
        apply=apply,
        event=EventKind.SIGNED_OFF,
        reason=note,
        at=when,
        expected_version=expected_version,
        data={"evidence_checked": True, "evidence": task.evidence.count()},
    )


def send_back(
    task: Task, user, *, reason: str, at=None, expected_version: int | None = None
) -> TaskEvent:
    """The office finds the task not done after all: back to the unit, with the reason."""
    if not supervises(user, task):
        raise PermissionDenied(_("Only the campaign office sends a task back."))
    if not reason.strip():
        raise RectificationError(_("Say what is still missing."))
    return _step(
        task,
        "send_back",
        user,
        event=EventKind.SENT_BACK,
        reason=reason,
        at=at,
        expected_version=expected_version,
    )


def reopen(
    task: Task,
    user,
    *,
    reason: str,
    deadline: datetime.date,
    review: Inspection | None = None,
    at=None,
    expected_version: int | None = None,
) -> TaskEvent:
    """回头看: a follow-up review finds a signed-off problem back; the task reopens with the
    reason and a new deadline."""
    if not supervises(user, task):
        raise PermissionDenied(_("Only the campaign office reopens a task."))
    if not reason.strip():
        raise RectificationError(_("Say what the follow-up review found."))
    if deadline < _today(at):
        raise RectificationError(_("Set a new deadline from today on."))
    if review is not None and review.kind != InspectionKind.FOLLOW_UP:
        raise RectificationError(_("Choose a follow-up review (回头看)."))

    def apply(t):
        t.deadline = deadline
        t.signed_off_at, t.signed_off_by, t.sign_off_note = None, None, ""
        return ["deadline", "signed_off_at", "signed_off_by", "sign_off_note"]

    return _step(
        task,
        "reopen",
        user,
        apply=apply,
        event=EventKind.REOPENED,
        reason=reason,
        at=at,
        expected_version=expected_version,
        data={"review": review.pk if review else None},
    )


def change_deadline(
    task: Task, user, *, deadline: datetime.date, reason: str, at=None, expected_version=None
) -> TaskEvent:
    """The office moves the deadline (with the reason); the earlier deadline stays in the
    task's history, so past overdue figures do not change."""
    if not supervises(user, task):
        raise PermissionDenied(_("Only the campaign office changes a task's deadline."))
    if not reason.strip():
        raise RectificationError(_("Say why the deadline changes."))
    if deadline < task.set_on:
        raise RectificationError(_("The new deadline is before the day the task was set."))
    old = task.deadline

    def apply(t):
        t.deadline = deadline
        return ["deadline"]

    return _step(
        task,
        "deadline",
        user,
        apply=apply,
        event=EventKind.DEADLINE,
        reason=reason,
        at=at,
        expected_version=expected_version,
        data={"from": old, "to": deadline},
    )


def edit_task(
    task: Task,
    user,
    *,
    measures: str,
    responsible_unit: Unit,
    responsible_person: str,
    milestones: str = "",
    at=None,
    expected_version=None,
) -> TaskEvent:
    """The office corrects a task not yet signed off: measures, responsible unit and person,
    milestones; what changed is kept in the task's history."""
    if not supervises(user, task):
        raise PermissionDenied(_("Only the campaign office changes a task."))
    if not measures.strip():
        raise RectificationError(_("Write the rectification measures."))
    if not responsible_person.strip():
        raise RectificationError(_("Name the person responsible for the task."))
    _check_units(user, [responsible_unit])
    new = {
        "measures": measures.strip(),
        "responsible_unit_id": responsible_unit.pk,
        "responsible_person": responsible_person.strip(),
        "milestones": milestones.strip(),
    }
    before = {name: getattr(task, name) for name in new}
    changes = {k: [before[k], v] for k, v in new.items() if before[k] != v}
    if not changes:
        raise RectificationError(_("Nothing was changed."))

    def apply(t):
        for name, value in new.items():
            setattr(t, name, value)
        if "responsible_unit_id" in changes:
            t.responsible_user = None  # the account belonged to the former unit
            return [*new, "responsible_user"]
        return list(new)

    return _step(
        task,
        "edit",
        user,
        apply=apply,
        event=EventKind.EDITED,
        at=at,
        expected_version=expected_version,
        data=changes,
    )
