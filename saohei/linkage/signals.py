"""New and changed clues and cases are checked for links once their transaction commits: on
save (when what the engine compares changed), when a mention or a suspect is added or removed,
and when a case's clues change."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from .suggestions import refresh_later

CLUE_FIELDS = {"place", "summary", "subjects", "received_on", "jurisdiction", "jurisdiction_id"}
CASE_FIELDS = {"summary", "oil_sites", "opened_on", "name", "jurisdiction", "jurisdiction_id"}


def _changed(fields, update_fields) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def clue_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw and _changed(CLUE_FIELDS, update_fields):
        refresh_later(sender, instance.pk)


def case_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw and _changed(CASE_FIELDS, update_fields):
        refresh_later(sender, instance.pk)


def mention_changed(sender, instance, raw=False, **kwargs):
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    if raw:
        return
    if instance.clue_id:
        refresh_later(Clue, instance.clue_id)
    elif instance.case_id:
        refresh_later(Case, instance.case_id)


def suspect_changed(sender, instance, raw=False, **kwargs):
    from saohei.cases.models import Case

    if not raw:
        refresh_later(Case, instance.case_id)


def case_clues_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from saohei.cases.models import Case

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_later(Case, instance.pk)
    else:
        for pk in pk_set or ():
            refresh_later(Case, pk)


def connect():
    from saohei.cases.models import Case, Suspect
    from saohei.clues.models import Clue
    from saohei.entities.models import Mention

    post_save.connect(clue_saved, sender=Clue, dispatch_uid="linkage.clue_saved")
    post_save.connect(case_saved, sender=Case, dispatch_uid="linkage.case_saved")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(mention_changed, sender=Mention, dispatch_uid=f"linkage.mention_{name}")
        signal.connect(suspect_changed, sender=Suspect, dispatch_uid=f"linkage.suspect_{name}")
    m2m_changed.connect(
        case_clues_changed, sender=Case.clues.through, dispatch_uid="linkage.case_clues"
    )
