"""The append-only, hash-chained audit log (等保: 安全审计).

Each entry carries the hash of the one before it, so changing or removing any entry breaks the
chain from that point on; `manage.py audit_verify` re-walks it. The ORM refuses to update or
delete entries, and a database trigger refuses UPDATE for anyone who goes around the ORM.
"""

from __future__ import annotations

import hashlib
import json

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class Action(models.TextChoices):
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKED_OUT = "locked_out", _("account locked")
    UNLOCKED = "unlocked", _("account unlocked")
    LOGOUT = "logout", _("logout")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    READ_PROTECTED = "read_protected", _("protected field read")
    EXPORT = "export", _("export")
    DOWNLOAD = "download", _("download")
    OTP_ENROLLED = "otp_enrolled", _("two-factor login set up")
    OTP_FAILED = "otp_failed", _("wrong one-time code")
    OTP_RECOVERY_USED = "otp_recovery_used", _("recovery code used")
    OTP_CODES_RENEWED = "otp_codes_renewed", _("recovery codes renewed")
    OTP_RESET = "otp_reset", _("two-factor login reset")


DETAIL_LABELS = {
    "roles_added": _("roles added"),
    "roles_removed": _("roles removed"),
    "roles_cleared": _("roles cleared"),
    "username": _("user name"),
    "field": _("field"),
    "attempts_cleared": _("failed attempts cleared"),
    "codes_left": _("recovery codes left"),
    "recovery_codes": _("recovery codes issued"),
    "devices_removed": _("devices removed"),
    "kind": _("kind of code"),
    "throttled": _("refused while throttled"),
}


def _display(value, choices=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return "、".join(_display(v, choices) for v in value)
    if choices and value in choices:
        return str(choices[value])
    return str(value)


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def visible_to(self, user) -> AuditQuerySet:
        # Only the auditor reads the audit log (三员分立).
        if user.is_authenticated and user.has_perm("audit.view_auditentry"):
            return self.all()
        return self.none()


def digest(algorithm: str, data: bytes) -> str:
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    if algorithm == "sm3":
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    raise ValueError(f"unknown audit hash algorithm {algorithm!r}")


class AuditEntry(models.Model):
    id = models.BigIntegerField(_("sequence"), primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)
    algorithm = models.CharField(_("hash algorithm"), max_length=10)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        default_permissions = ("view",)
        # A user's latest entry: when they last changed anything (saohei.core.recent), on
        # every page.
        indexes = [models.Index(fields=["actor", "at"], name="audit_actor_at")]

    def __str__(self):
        return f"#{self.id} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def object_model(self):
        from django.apps import apps

        try:
            return apps.get_model(self.object_type) if self.object_type else None
        except (LookupError, ValueError):
            return None

    @property
    def object_type_label(self) -> str:
        model = self.object_model
        return str(model._meta.verbose_name) if model else self.object_type

    def change_lines(self) -> list[tuple[str, str]]:
        """The details as (label, text) lines for people: field names in the user's language,
        "before → after" for updates."""
        from saohei.orgs.choices import Role

        model = self.object_model
        lines = []
        for key, value in (self.changes or {}).items():
            label, choices, field = DETAIL_LABELS.get(key, key), {}, None
            if key.startswith("roles_"):
                choices = dict(Role.choices)
            elif model is not None:
                try:
                    field = model._meta.get_field(key.removesuffix("_id"))
                except Exception:  # a detail that is not a field (username, file, …)
                    field = None
                # A detail named like a reverse relation (a task's "evidence") is not a field
                # of the record: it has no label or choices of its own.
                if field is not None and not field.concrete:
                    field = None
                if field is not None:
                    label, choices = field.verbose_name, dict(field.flatchoices)
            # Updates of a field are stored as [before, after]; other details as they are.
            if field is not None and self.action == Action.UPDATE and isinstance(value, list):
                text = f"{_display(value[0], choices)} → {_display(value[1], choices)}"
            else:
                text = _display(value, choices)
            lines.append((str(label), text))
        return lines

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself, in a fixed form."""
        payload = {
            "id": self.id,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "ip": self.ip,
            "request_id": self.request_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "algorithm": self.algorithm,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return digest(self.algorithm, self.canonical())
