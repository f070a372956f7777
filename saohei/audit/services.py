"""Writing to the audit log. Everything that writes an entry goes through `record()`."""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.core.context import current_actor

from .models import GENESIS, Action, AuditEntry

# Serialises appends on PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE already.
_PG_LOCK_KEY = 0x5A0E1A0D17


def jsonable(value):
    """A value as it goes into the hashed JSON: only str, int, bool, None, lists and dicts."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, float, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    user=None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction if there is one (so a
    rolled-back change leaves no entry, and an entry never describes what did not happen)."""
    actor = current_actor()
    user = user if user is not None else actor.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEntry.objects.order_by("-id").values("id", "hash").first()
        entry = AuditEntry(
            id=(last["id"] + 1) if last else 1,
            at=timezone.now(),
            actor_id=user.pk if user is not None and user.pk else None,
            actor_name=(user.get_username() if user is not None else actor.name)[:150],
            ip=actor.ip,
            request_id=actor.request_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            changes=jsonable(changes or {}),
            algorithm=settings.SAOHEI_AUDIT_HASH,
            prev_hash=last["hash"] if last else GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


@dataclass
class Break:
    entry_id: int
    kind: str  # "missing", "link" or "contents"
    reason: str


def verify_chain(progress=None, batch: int = 5000) -> Break | None:
    """Re-walk the whole chain in id order; the first break found, or None."""
    prev_hash, prev_id = GENESIS, 0
    qs = AuditEntry.objects.order_by("id")
    last_id = 0
    while True:
        chunk = list(qs.filter(id__gt=last_id)[:batch])
        if not chunk:
            return None
        for entry in chunk:
            if entry.id != prev_id + 1:
                return Break(
                    entry.id,
                    "missing",
                    _("entries #%(first)s to #%(last)s are missing")
                    % {"first": prev_id + 1, "last": entry.id - 1},
                )
            if entry.prev_hash != prev_hash:
                return Break(
                    entry.id, "link", _("its previous-hash link does not match the entry before it")
                )
            if entry.compute_hash() != entry.hash:
                return Break(entry.id, "contents", _("its contents do not match its stored hash"))
            prev_hash, prev_id = entry.hash, entry.id
        last_id = chunk[-1].id
        if progress:
            progress(last_id)


def reveal(obj: models.Model, field_name: str, user, permission: str) -> str:
    """The plain value of a protected field for `user`, if `permission` allows; every reading
    is written to the audit log (the value itself never is)."""
    if not user.has_perm(permission):
        raise PermissionDenied
    value = getattr(obj, field_name)
    record(Action.READ_PROTECTED, obj, changes={"field": field_name}, user=user)
    return value


def last_login_summary(user) -> dict:
    """The user's previous login and the failed attempts on their account since then, so they
    notice someone trying their password (shown on their own home page)."""
    logins = AuditEntry.objects.filter(action=Action.LOGIN, actor=user).order_by("-id")
    previous = logins[1:2].first()  # [0] is the current session's login
    # Wrong passwords for the user name, and wrong one-time codes after a right password.
    failures = AuditEntry.objects.filter(
        models.Q(action=Action.LOGIN_FAILED, actor_name=user.get_username())
        | models.Q(action=Action.OTP_FAILED, actor=user)
    )
    if previous is not None:
        failures = failures.filter(id__gt=previous.id)
    return {"previous": previous, "failures": failures.count()}
