"""Workflow steps on cases: open (立案), hand to the procuratorate or the court, return for
more investigation, close (办结), and record the three checks of 一案三查. One function per
step; each locks the case, checks the stage table and the user's unit, bumps the version and
writes the StageMove that records who, when, from, to and why."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.audit.services import jsonable
from saohei.clues.models import Clue
from saohei.core.dates import cn_date
from saohei.core.numbering import next_number
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit

from .choices import GANG_KINDS, CaseKind, CheckPart, CheckStatus, ClosingReason, Stage
from .models import Case, StageMove, ThreeWayCheck
from .querysets import AGENCY_ROLES, handles

# Which kinds of unit may open cases, and of which kinds: the police open criminal cases, the
# discipline commission umbrella cases (and the procuratorate its own duty-crime cases).
OPENERS = {
    UnitKind.POLICE: tuple(k for k in CaseKind.values if k != CaseKind.UMBRELLA),
    UnitKind.DISCIPLINE: (CaseKind.UMBRELLA,),
    UnitKind.PROCURATORATE: (CaseKind.UMBRELLA,),
}


class CaseError(ValidationError):
    """A step the case's stage or the input does not allow; the message says what to do."""


class CaseConflict(CaseError):
    pass


@dataclass(frozen=True)
class StageStep:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    # Kind of unit that takes over at the target stage; None: the handling unit stays.
    next_unit_kind: str | None


STEPS = {
    s.name: s
    for s in [
        StageStep(
            "prosecute",
            gettext_lazy("Hand to the procuratorate"),
            (Stage.INVESTIGATION,),
            Stage.PROSECUTION,
            UnitKind.PROCURATORATE,
        ),
        StageStep(
            "return_for_investigation",
            gettext_lazy("Return for further investigation"),
            (Stage.PROSECUTION,),
            Stage.INVESTIGATION,
            "",  # back to the unit that investigated it
        ),
        StageStep(
            "indict",
            gettext_lazy("Hand to the court"),
            (Stage.PROSECUTION,),
            Stage.TRIAL,
            UnitKind.COURT,
        ),
        StageStep(
            "close",
            gettext_lazy("Close the case"),
            (Stage.INVESTIGATION, Stage.PROSECUTION, Stage.TRIAL),
            Stage.CLOSED,
            None,
        ),
    ]
}


def steps_for(user, case: Case) -> list[StageStep]:
    if not handles(user, case):
        return []
    return [s for s in STEPS.values() if case.stage in s.sources]


def _today(at):
    return timezone.localdate(at) if at else timezone.localdate()


def default_discipline_unit(jurisdiction_id) -> Unit | None:
    return (
        Unit.objects.filter(jurisdiction_id=jurisdiction_id, kind=UnitKind.DISCIPLINE)
        .order_by("pk")
        .first()
    )


def open_case(
    user,
    *,
    name: str,
    kind: str,
    opened_on: datetime.date,
    charges=(),
    clues=(),
    summary: str = "",
    protects: Case | None = None,
    at: datetime.datetime | None = None,
    **details,
) -> Case:
    """立案: the user's unit opens a case, from clues it holds or directly."""
    unit = user.unit
    if not user.has_perm("cases.open_case") or unit is None or not user.has_role(*AGENCY_ROLES):
        raise PermissionDenied(_("You may not open cases."))
    allowed = OPENERS.get(unit.kind, ())
    if kind not in allowed:
        raise CaseError(
            _("%(unit)s does not open cases of this kind (%(kind)s).")
            % {"unit": unit, "kind": CaseKind(kind).label if kind in CaseKind.values else kind},
            code="wrong_opener",
        )
    if not name.strip():
        raise CaseError(_("Give the case a name, e.g. 张某某等9人寻衅滋事案."))
    if opened_on > _today(at):
        raise CaseError(_("The opening date cannot be in the future."))
    clues = list(clues)
    mine = Clue.objects.visible_to(user).filter(pk__in=[c.pk for c in clues])
    usable = set(mine.values_list("pk", flat=True))
    for clue in clues:
        if clue.pk not in usable:
            raise CaseError(_("Clue %(number)s was not found.") % {"number": clue.number})
        if clue.status == "merged":
            raise CaseError(
                _("Clue %(number)s was merged into another: open the case from that one.")
                % {"number": clue.number}
            )
    earliest = min((c.received_on for c in clues), default=None)
    if earliest is not None and opened_on < earliest:
        raise CaseError(
            _("The case cannot be opened before its clue was received (%(day)s).")
            % {"day": cn_date(earliest)}
        )
    if protects is not None:
        if kind != CaseKind.UMBRELLA:
            raise CaseError(_("Only an umbrella case names the gang case it protected."))
        if not Case.objects.visible_to(user).filter(pk=protects.pk).exists():
            raise CaseError(_("Case %(number)s was not found.") % {"number": protects.number})
    with transaction.atomic():
        case = Case(
            number=next_number("AJ", opened_on.year),
            name=name.strip(),
            jurisdiction=unit.jurisdiction,
            kind=kind,
            summary=summary.strip(),
            opened_on=opened_on,
            opened_by=user,
            opening_unit=unit,
            handling_unit=unit,
            stage=Stage.INVESTIGATION,
            stage_since=opened_on,
            protects=protects,
            **details,
        )
        case.full_clean(exclude=["number"])
        case.save()
        case.charges.set(charges)
        if clues:
            case.clues.set(clues)
            # The clue ledger's 是否立案 / 案件编号 follow from here.
            for clue in Clue.objects.select_for_update().filter(pk__in=usable):
                clue.led_to_case = True
                clue.case_number = clue.case_number or case.number
                clue.save(update_fields=["led_to_case", "case_number", "updated_at"])
        if kind in GANG_KINDS:
            discipline = default_discipline_unit(unit.jurisdiction_id) or unit
            ThreeWayCheck.objects.bulk_create(
                [
                    ThreeWayCheck(case=case, part=CheckPart.CRIME, responsible_unit=unit),
                    ThreeWayCheck(case=case, part=CheckPart.UMBRELLA, responsible_unit=discipline),
                    ThreeWayCheck(case=case, part=CheckPart.FAILURE, responsible_unit=discipline),
                ]
            )
        StageMove.objects.create(
            case=case,
            at=at or timezone.now(),
            action="open",
            from_stage="",
            to_stage=Stage.INVESTIGATION,
            unit=unit,
            actor=user,
            actor_unit=unit,
            data=jsonable({"clues": [c.number for c in clues]}),
        )
    return case


def move(
    case: Case,
    name: str,
    user,
    *,
    unit: Unit | None = None,
    reason: str = "",
    closing_reason: str = "",
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> StageMove:
    """Take stage step `name` (see STEPS) on the case."""
    step = STEPS.get(name)
    if step is None:
        raise CaseError(_("Unknown step."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not handles(user, locked) or not user.has_perm("cases.handle_case"):
            raise PermissionDenied(
                _("Only the unit handling case %(number)s moves it.") % {"number": locked.number}
            )
        if expected_version is not None and locked.version != expected_version:
            raise CaseConflict(
                _(
                    "Someone else changed case %(number)s while you were working on it. "
                    "Reload the page to see its current state, then try again."
                )
                % {"number": locked.number}
            )
        if locked.stage not in step.sources:
            raise CaseError(
                _("Case %(number)s is at the %(stage)s stage: “%(step)s” is not possible now.")
                % {"number": locked.number, "stage": locked.get_stage_display(), "step": step.label}
            )
        day = _today(at)
        last = locked.moves.order_by("-at", "-id").first()
        if at is not None and last is not None and at < last.at:
            raise CaseError(
                _("This step cannot be dated before the case's last step (%(day)s).")
                % {"day": cn_date(last.at)}
            )
        next_unit = locked.handling_unit
        if step.next_unit_kind:
            if unit is None or unit.kind != step.next_unit_kind:
                raise CaseError(
                    _("Choose the %(kind)s that takes the case over.")
                    % {"kind": UnitKind(step.next_unit_kind).label}
                )
            if unit.jurisdiction_id not in user.jurisdiction_ids:
                raise CaseError(_("%(unit)s is not a unit of your jurisdiction.") % {"unit": unit})
            next_unit = unit
        elif step.next_unit_kind == "":
            # Back to the unit that had the case at the investigation stage last.
            last = locked.moves.filter(to_stage=Stage.INVESTIGATION).order_by("-at", "-id").first()
            next_unit = last.unit if last else locked.opening_unit
            if not reason.strip():
                raise CaseError(_("Say what must be investigated further."))
        if step.target == Stage.CLOSED:
            missing = locked.missing_checks()
            if missing:
                raise CaseError(
                    _(
                        "Case %(number)s cannot close: one case, three investigations is not "
                        "complete. Still to record: %(missing)s."
                    )
                    % {"number": locked.number, "missing": "、".join(missing)},
                    code="checks_missing",
                )
            if closing_reason not in ClosingReason.values:
                raise CaseError(_("Say how the case ended."))
            locked.closed_on, locked.closing_reason = day, closing_reason
        from_stage = locked.stage
        locked.stage, locked.stage_since, locked.handling_unit = step.target, day, next_unit
        locked.version += 1
        locked.save()
        event = StageMove.objects.create(
            case=locked,
            at=at or timezone.now(),
            action=name,
            from_stage=from_stage,
            to_stage=step.target,
            unit=next_unit,
            actor=user,
            actor_unit=user.unit,
            reason=reason.strip(),
            data=jsonable({"closing_reason": closing_reason} if closing_reason else {}),
        )
    case.refresh_from_db()
    return event


# One case, three investigations ------------------------------------------------------------


def may_record_check(user, check: ThreeWayCheck) -> bool:
    return (
        user.unit_id == check.responsible_unit_id
        and user.has_role(*AGENCY_ROLES)
        and user.has_perm("cases.record_check")
    )


def record_check(
    check: ThreeWayCheck,
    user,
    *,
    status: str,
    result: str = "",
    discipline_case: Case | None = None,
    on: datetime.date | None = None,
) -> ThreeWayCheck:
    """The responsible unit records where its check stands and what it found."""
    if not may_record_check(user, check):
        raise PermissionDenied(
            _("Only %(unit)s records this check.") % {"unit": check.responsible_unit}
        )
    if status not in CheckStatus.values:
        raise CaseError(_("Choose the status of the check."))
    if status == CheckStatus.DONE and not result.strip():
        raise CaseError(
            _("Write what the check found (for example: no protective umbrella found, and why).")
        )
    if discipline_case is not None:
        if discipline_case.kind != CaseKind.UMBRELLA:
            raise CaseError(_("Link an umbrella or corruption case here."))
        if not Case.objects.visible_to(user).filter(pk=discipline_case.pk).exists():
            raise CaseError(
                _("Case %(number)s was not found.") % {"number": discipline_case.number}
            )
    with transaction.atomic():
        locked = ThreeWayCheck.objects.select_for_update().get(pk=check.pk)
        if locked.case.stage == Stage.CLOSED:
            raise CaseError(_("The case is closed: its checks can no longer change."))
        locked.status, locked.result = status, result.strip()
        # A form without the field keeps the link made earlier.
        locked.discipline_case = discipline_case or locked.discipline_case
        locked.recorded_by, locked.recorded_on = user, on or timezone.localdate()
        locked.save()
        if discipline_case is not None and discipline_case.protects_id is None:
            discipline_case.protects = locked.case
            discipline_case.save(update_fields=["protects", "updated_at"])
    check.refresh_from_db()
    return check


def reassign_check(check: ThreeWayCheck, user, unit: Unit) -> ThreeWayCheck:
    """The office or the handling unit gives a check to another unit (e.g. the failure check
    to the regulator's supervising department)."""
    case = check.case
    office = user.has_role(Role.OFFICE_ADMIN, Role.OFFICE_STAFF) and (
        case.jurisdiction_id in user.jurisdiction_ids
    )
    if not (office or handles(user, case)):
        raise PermissionDenied(_("Only the office or the handling unit reassigns a check."))
    if unit.jurisdiction_id not in user.jurisdiction_ids:
        raise CaseError(_("%(unit)s is not a unit of your jurisdiction.") % {"unit": unit})
    if check.part == CheckPart.UMBRELLA and unit.kind != UnitKind.DISCIPLINE:
        raise CaseError(_("The umbrella check belongs to the discipline inspection commission."))
    if check.status == CheckStatus.DONE:
        raise CaseError(_("This check is recorded already."))
    check.responsible_unit = unit
    check.save(update_fields=["responsible_unit", "updated_at"])
    return check


def handling(user, case: Case) -> None:
    """Refuse a user who is not handling the case (suspects, assets, officials)."""
    if not handles(user, case) or not user.has_perm("cases.handle_case"):
        raise PermissionDenied(
            _("Only the unit handling case %(number)s changes it.") % {"number": case.number}
        )
