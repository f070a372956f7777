"""Steps on drives: tagging clues and cases to one (each tag audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.cases.models import Case
from saohei.clues.models import Clue

from .models import Drive


class TagError(ValueError):
    pass


def tag(drive: Drive, numbers: list[str], user) -> tuple[list[str], list[str]]:
    """Tag the clues and cases with these numbers, among those the user may read, to the
    drive. All or nothing: a number not found refuses the whole list. Returns the clue and
    case numbers tagged."""
    numbers = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not numbers:
        raise TagError(_("Give at least one clue or case number."))
    clues = {c.number: c for c in Clue.objects.visible_to(user).filter(number__in=numbers)}
    cases = {c.number: c for c in Case.objects.visible_to(user).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in clues and n not in cases]
    if missing:
        raise TagError(
            _("No clue or case you can see has the number %(numbers)s: check and try again.")
            % {"numbers": "、".join(missing)}
        )
    with transaction.atomic():
        Drive.objects.select_for_update().filter(pk=drive.pk).first()
        drive.clues.add(*clues.values())
        drive.cases.add(*cases.values())
        record(
            Action.UPDATE,
            drive,
            changes={"tagged": sorted(clues) + sorted(cases)},
            user=user,
        )
    return sorted(clues), sorted(cases)


def tag_publicity(drive: Drive, ids: list[int], user) -> int:
    """Tag publicity activities (of those the user may read, held in the drive's period) to
    the drive; returns how many."""
    from saohei.oversight.models import PublicityActivity

    found = list(
        PublicityActivity.objects.visible_to(user).filter(
            pk__in=ids, held_on__gte=drive.start, held_on__lte=drive.end
        )
    )
    if len(found) != len(set(ids)):
        raise TagError(_("Choose publicity activities held in the drive's period."))
    with transaction.atomic():
        Drive.objects.select_for_update().filter(pk=drive.pk).first()
        drive.publicity.add(*found)
        record(Action.UPDATE, drive, changes={"publicity_tagged": sorted(ids)}, user=user)
    return len(found)


def untag(drive: Drive, obj, user) -> None:
    with transaction.atomic():
        Drive.objects.select_for_update().filter(pk=drive.pk).first()
        if isinstance(obj, Clue):
            drive.clues.remove(obj)
        elif isinstance(obj, Case):
            drive.cases.remove(obj)
        else:
            drive.publicity.remove(obj)
        label = getattr(obj, "number", None) or f"publicity {obj.pk}"
        record(Action.UPDATE, drive, changes={"untagged": label}, user=user)
