"""The generic change log: every create, update and delete of a tracked model, with the
fields that changed, plus logins, failed logins, lock-outs and logouts."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from saohei.core.context import acting_as
from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import ChangeTracking

from .models import Action
from .services import jsonable, record

# Never copied into the log: secrets, and fields that change on every login or save.
SKIPPED = {"password", "last_login", "updated_at", "created_at"}
MASK = "***"


def _tracked(sender) -> bool:
    return issubclass(sender, ChangeTracking) and not sender._meta.abstract


def _field_value(field, value):
    if isinstance(field, EncryptedTextField):
        # Whether it is set, never what it is: informant identity never reaches a log.
        return MASK if value else ""
    return jsonable(value)


def _snapshot(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _changes(instance, created: bool) -> dict:
    now = _snapshot(instance)
    before = {} if created else getattr(instance, "_loaded_values", {})
    changes = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        if (name in SKIPPED and name != "password") or isinstance(field, BlindIndexField):
            continue  # a blind index only repeats, in HMAC form, the field it indexes
        new = now[name]
        if created:
            if new in (None, ""):
                continue
            changes[name] = _field_value(field, new)
        elif name in before and before[name] != new:
            if name == "password":
                changes[name] = "changed"
            else:
                changes[name] = [_field_value(field, before[name]), _field_value(field, new)]
    return changes


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _tracked(sender):
        return
    changes = _changes(instance, created)
    if not created and not changes:
        return
    if created and "password" in changes:
        changes["password"] = "set"
    record(Action.CREATE if created else Action.UPDATE, instance, changes=changes)
    # What is saved now is what the next save is compared with.
    instance._loaded_values = _snapshot(instance)


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if _tracked(sender):
        record(Action.DELETE, instance)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def log_roles(sender, instance, action, pk_set, reverse, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    from django.contrib.auth.models import Group

    names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    key = {"post_add": "roles_added", "post_remove": "roles_removed"}.get(action, "roles_cleared")
    instance.__dict__.pop("roles", None)  # the cached role set is stale now
    record(Action.UPDATE, instance, changes={key: names})


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    with acting_as(user, ip=request.META.get("REMOTE_ADDR", "") if request else ""):
        record(Action.LOGIN, user, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, user, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    with acting_as(name=username, ip=request.META.get("REMOTE_ADDR", "") if request else ""):
        record(Action.LOGIN_FAILED, changes={"username": username})


@receiver(user_locked_out)
def log_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    with acting_as(name=str(username or "")[:150], ip=ip_address or ""):
        record(Action.LOCKED_OUT, changes={"username": username or ""})
