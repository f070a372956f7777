"""Two persons found to be one: merge them, and undo a merge found to be wrong.

Action functions in the style of saohei/clues/actions.py (STYLE habit 4): one transaction,
both persons locked in pk order, the rules checked on the locked rows, the change written,
the audit entry in the same transaction. A merge moves the merged person's mentions, records
and the organizations they represent to the survivor and notes each moved row's id in
Merge.moved, so that undoing it puts back exactly those rows and nothing the survivor had
before or gained since.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record

from .models import Mention, Merge, Organization, Person, Record

# What a merge moves: Merge.moved key -> (model, its field pointing at the person).
MOVED = {
    "mentions": (Mention, "person"),
    "records": (Record, "person"),
    "represents": (Organization, "legal_representative"),
}


class MergeError(ValidationError):
    """A merge or an undo the persons' state does not allow; the message says why."""


def _lock(*persons: Person) -> dict[int, Person]:
    pks = sorted({p.pk for p in persons})
    locked = Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {p.pk: p for p in locked}


def _require(by, *persons: Person) -> None:
    if not by.has_perm("entities.merge_person"):
        raise PermissionDenied(_("You may not merge persons."))
    editable = set(
        Person.objects.editable_by(by)
        .filter(pk__in=[p.pk for p in persons])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in editable for p in persons):
        raise PermissionDenied(_("You may not merge persons outside your reach."))


def merge(survivor: Person, merged: Person, *, by, reason: str) -> Merge:
    """`merged` is the same person as `survivor`: what mentions `merged` now mentions
    `survivor`, and `merged` points at `survivor` (it no longer shows in lists)."""
    if survivor.pk == merged.pk:
        raise MergeError(_("A person cannot be merged into itself."), code="self")
    if not (reason or "").strip():
        raise MergeError(_("Give a reason for the merge."), code="reason_required")
    _require(by, survivor, merged)
    with transaction.atomic():
        locked = _lock(survivor, merged)
        keep, gone = locked[survivor.pk], locked[merged.pk]
        if keep.merged_into_id or gone.merged_into_id:
            raise MergeError(
                _("%(name)s has already been merged into another person.")
                % {"name": gone.name if gone.merged_into_id else keep.name},
                code="already_merged",
            )
        if Person.objects.filter(merged_into=gone).exists():
            # Merging a survivor of earlier merges would chain them; undo those first.
            raise MergeError(
                _(
                    "Other persons have been merged into %(name)s: merge %(name)s the other "
                    "way round, or undo those merges first."
                )
                % {"name": gone.name},
                code="chain",
            )
        moved = {}
        for key, (model, field) in MOVED.items():
            rows = model.objects.filter(**{field: gone})
            moved[key] = sorted(rows.values_list("pk", flat=True))
            if moved[key]:
                model.objects.filter(pk__in=moved[key]).update(**{field: keep})
        gone.merged_into = keep
        gone.save(update_fields=["merged_into", "updated_at"])
        result = Merge.objects.create(
            survivor=keep, merged=gone, moved=moved, reason=reason.strip(), by=by
        )
        record(
            Action.CREATE,
            result,
            changes={
                "survivor": keep.pk,
                "merged": gone.pk,
                "moved": moved,
                "reason": result.reason,
            },
            user=by,
        )
    survivor.refresh_from_db()
    merged.refresh_from_db()
    return result


def unmerge(merge: Merge, *, by) -> None:
    """Undo `merge`: the rows it moved go back to the merged person, who is current again."""
    _require(by, merge.survivor, merge.merged)
    with transaction.atomic():
        current = Merge.objects.select_for_update().get(pk=merge.pk)
        if current.undone_at is not None:
            raise MergeError(_("This merge has already been undone."), code="undone")
        locked = _lock(current.survivor, current.merged)
        keep, gone = locked[current.survivor_id], locked[current.merged_id]
        if keep.merged_into_id:
            raise MergeError(
                _("%(name)s has since been merged into another person: undo that merge first.")
                % {"name": keep.name},
                code="survivor_merged",
            )
        returned = {}
        for key, (model, field) in MOVED.items():
            ids = current.moved.get(key, [])
            # Only the rows still with the survivor: one removed since stays removed.
            rows = model.objects.filter(pk__in=ids, **{field: keep})
            returned[key] = sorted(rows.values_list("pk", flat=True))
            if returned[key]:
                model.objects.filter(pk__in=returned[key]).update(**{field: gone})
        gone.merged_into = None
        gone.save(update_fields=["merged_into", "updated_at"])
        current.undone_at, current.undone_by = timezone.now(), by
        current.save(update_fields=["undone_at", "undone_by"])
        record(
            Action.UPDATE,
            current,
            changes={"undone": True, "returned": returned},
            user=by,
        )
    merge.refresh_from_db()
