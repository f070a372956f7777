"""Steps of a transfer: send, acknowledge (签收), answer (反馈), return (退回). One function
per step; each locks the row, checks who may take it, and refuses a stale form."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.core.numbering import next_number
from saohei.core.workdays import add_workdays
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit

from .choices import OPEN_TRANSFER_STATUSES, TransferKind, TransferStatus
from .models import Transfer, TransferAttachment

# Working days the receiving unit has to sign for a transfer and to answer it.
ACKNOWLEDGE_WORKDAYS = 3
ANSWER_WORKDAYS = 15
SENDER_ROLES = (
    Role.OFFICE_ADMIN,
    Role.OFFICE_STAFF,
    Role.HANDLER,
    Role.UNIT_LEADER,
    Role.DISCIPLINE,
)
RECEIVER_ROLES = SENDER_ROLES

# Where each kind of transfer must go (DESIGN §3): umbrella matters to the discipline
# commission, criminal matters to the police (or the procuratorate for duty crimes).
DESTINATIONS = {
    TransferKind.UMBRELLA: (UnitKind.DISCIPLINE,),
    TransferKind.CRIMINAL: (UnitKind.POLICE, UnitKind.PROCURATORATE),
}


class TransferError(ValidationError):
    """A step the transfer's state or the input does not allow; the message says what to do."""


class TransferConflict(TransferError):
    pass


def _today(at):
    return timezone.localdate(at) if at else timezone.localdate()


def send(
    user,
    *,
    to_unit: Unit,
    kind: str,
    reason: str,
    clue=None,
    case=None,
    answer_due: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Transfer:
    """Send a clue or a case to another unit, with the reason and what is asked of it."""
    if not user.has_perm("transfers.send_transfer") or user.unit is None:
        raise PermissionDenied(_("You may not send transfers."))
    if (clue is None) == (case is None):
        raise TransferError(_("Transfer either a clue or a case."))
    subject = clue if clue is not None else case
    model = type(subject)
    if not model.objects.visible_to(user).filter(pk=subject.pk).exists():
        raise PermissionDenied(_("You may only transfer what you can see."))
    if kind not in TransferKind.values:
        raise TransferError(_("Choose the kind of transfer."))
    if to_unit.pk == user.unit_id:
        raise TransferError(_("Choose another unit: a unit cannot transfer to itself."))
    if to_unit.jurisdiction_id not in user.jurisdiction_ids:
        raise TransferError(_("%(unit)s is not a unit of your jurisdiction.") % {"unit": to_unit})
    # An umbrella clue found elsewhere goes to the commission; the commission itself may
    # send the criminal part of one to the police.
    if (
        clue is not None
        and clue.category == "umbrella"
        and user.unit.kind != UnitKind.DISCIPLINE
        and kind != TransferKind.UMBRELLA
    ):
        raise TransferError(
            _("An umbrella or corruption clue is transferred as an umbrella matter."),
            code="umbrella_kind",
        )
    wanted = DESTINATIONS.get(kind)
    if wanted and to_unit.kind not in wanted:
        raise TransferError(
            _("A transfer of this kind (%(kind)s) goes to %(units)s, not to %(unit)s.")
            % {
                "kind": TransferKind(kind).label,
                "units": "、".join(str(UnitKind(k).label) for k in wanted),
                "unit": to_unit,
            },
            code="wrong_destination",
        )
    if not reason.strip():
        raise TransferError(_("Say why it is transferred and what the receiving unit should do."))
    day = _today(at)
    acknowledge_due = add_workdays(day, ACKNOWLEDGE_WORKDAYS)
    answer_due = answer_due or add_workdays(day, ANSWER_WORKDAYS)
    if answer_due < acknowledge_due:
        raise TransferError(
            _("Leave at least %(n)s working days to answer.") % {"n": ACKNOWLEDGE_WORKDAYS}
        )
    with transaction.atomic():
        already = Transfer.objects.filter(
            to_unit=to_unit, status__in=OPEN_TRANSFER_STATUSES, clue=clue, case=case
        ).first()
        if already is not None:
            raise TransferError(
                _("%(number)s already sent this to %(unit)s and is still open.")
                % {"number": already.number, "unit": to_unit}
            )
        return Transfer.objects.create(
            number=next_number("YS", day.year),
            jurisdiction=user.unit.jurisdiction,
            kind=kind,
            clue=clue,
            case=case,
            from_unit=user.unit,
            to_unit=to_unit,
            reason=reason.strip(),
            sent_by=user,
            sent_at=at or timezone.now(),
            acknowledge_due=acknowledge_due,
            answer_due=answer_due,
        )


def receiving(user, transfer: Transfer) -> bool:
    return user.unit_id == transfer.to_unit_id and user.has_role(*RECEIVER_ROLES)


def _step(transfer, user, sources, expected_version, apply) -> Transfer:
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if not receiving(user, locked):
            raise PermissionDenied(_("Only the receiving unit signs for and answers a transfer."))
        if expected_version is not None and locked.version != expected_version:
            raise TransferConflict(
                _(
                    "Someone else changed transfer %(number)s while you were working on it. "
                    "Reload the page and try again."
                )
                % {"number": locked.number}
            )
        if locked.status not in sources:
            raise TransferError(
                _("Transfer %(number)s is %(status)s: this step is not possible now.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        changed = apply(locked)
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
    transfer.refresh_from_db()
    return transfer


def acknowledge(transfer: Transfer, user, *, at=None, expected_version=None) -> Transfer:
    """签收: the receiving unit confirms it has the transfer."""

    def apply(t):
        t.status = TransferStatus.ACKNOWLEDGED
        t.acknowledged_at, t.acknowledged_by = at or timezone.now(), user
        return ["status", "acknowledged_at", "acknowledged_by"]

    return _step(transfer, user, (TransferStatus.SENT,), expected_version, apply)


def answer(transfer: Transfer, user, *, text: str, at=None, expected_version=None) -> Transfer:
    """反馈: what the receiving unit did. Answering signs for it too if nobody had."""
    if not text.strip():
        raise TransferError(_("Write what your unit did with the transfer."))
    when = at or timezone.now()

    def apply(t):
        changed = ["status", "answered_at", "answered_by", "answer"]
        if t.acknowledged_at is None:
            t.acknowledged_at, t.acknowledged_by = when, user
            changed += ["acknowledged_at", "acknowledged_by"]
        t.status = TransferStatus.ANSWERED
        t.answered_at, t.answered_by, t.answer = when, user, text.strip()
        return changed

    return _step(transfer, user, OPEN_TRANSFER_STATUSES, expected_version, apply)


def return_transfer(
    transfer: Transfer, user, *, reason: str, at=None, expected_version=None
) -> Transfer:
    """退回: the receiving unit says the matter is not theirs, and why."""
    if not reason.strip():
        raise TransferError(_("Say why the transfer is returned."))

    def apply(t):
        t.status = TransferStatus.RETURNED
        t.returned_at, t.returned_by, t.return_reason = at or timezone.now(), user, reason.strip()
        return ["status", "returned_at", "returned_by", "return_reason"]

    return _step(transfer, user, OPEN_TRANSFER_STATUSES, expected_version, apply)


def attach(transfer: Transfer, user, upload) -> TransferAttachment:
    if user.unit_id not in (transfer.from_unit_id, transfer.to_unit_id):
        raise PermissionDenied(_("Only the two units add files to a transfer."))
    name = upload.name.replace("/", "_").replace("\\", "_")[-200:]
    attachment = TransferAttachment(transfer=transfer, name=name, uploaded_by=user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
