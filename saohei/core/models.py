from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeTracking(models.Model):
    """Remembers the values loaded from the database, so the audit log records exactly which
    fields a save changed, with before and after (saohei.audit.signals)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance


class TrackedModel(ChangeTracking):
    """Base for domain objects: change-logged, with creation and update times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """Last number handed out per kind and year (XS2019-0057): see saohei.core.numbering."""

    kind = models.CharField(_("kind"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="core_numbersequence_kind_year")
        ]

    def __str__(self):
        return f"{self.kind}{self.year}: {self.last}"


class SecurityPolicy(TrackedModel):
    """The one security policy, set by the security administrator (安全保密管理员)."""

    password_min_length = models.PositiveSmallIntegerField(
        _("minimum password length"),
        default=10,
        validators=[MinValueValidator(8), MaxValueValidator(64)],
    )
    password_classes = models.PositiveSmallIntegerField(
        _("character classes required"),
        default=3,
        help_text=_("Of upper case, lower case, digits and symbols."),
        validators=[MinValueValidator(2), MaxValueValidator(4)],
    )
    failure_limit = models.PositiveSmallIntegerField(
        _("failed logins before lock-out"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    lockout_minutes = models.PositiveIntegerField(
        _("lock-out duration (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    session_idle_minutes = models.PositiveIntegerField(
        _("session expires after idle minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        permissions = [("manage_policy", _("Can set the security policy"))]

    def __str__(self):
        return str(_("security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls()


class ImportJob(models.Model):
    """A ledger import started from the browser: runs in the background, shows progress, and
    keeps its outcome (counts or the full list of errors) for the user who started it."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    kind = models.CharField(_("kind"), max_length=20)
    file_name = models.CharField(_("file"), max_length=200)
    user = models.ForeignKey("orgs.User", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("rows created"), default=0)
    skipped = models.PositiveIntegerField(_("rows already held"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.kind} {self.file_name}"
