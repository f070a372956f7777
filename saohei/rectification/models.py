"""Rectification after inspections (整改): an inspection (巡察, 督导, 回头看) feeds back
problems; each problem gets one or more tasks with measures, a responsible unit and person, a
deadline and milestones; the unit reports progress with evidence; the office signs the task
off (销号) or sends it back; a follow-up review can reopen a signed-off task.

Every change of a task's status or deadline is a TaskEvent (the domain event): the status
and deadline a task had at the end of any past day are read from them (summary.py), so the
overdue list for 2019-06-30 is the same whenever it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.orgs.models import Jurisdiction, Unit

from .choices import EventKind, InspectionKind, TaskStatus
from .querysets import InspectionQuerySet, ProblemQuerySet, TaskQuerySet, TaskRelatedQuerySet


class ProblemCategory(TrackedModel):
    """问题类别: an editable list (政治站位, 依法严惩, 综合治理, 深挖彻查, 组织领导, …)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Inspection(TrackedModel):
    """巡察督导: one inspection of the district, and the problems it fed back."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    inspecting_body = models.CharField(_("inspecting body"), max_length=100)
    date = models.DateField(_("date of feedback"))
    # A follow-up review (回头看) looks again at an earlier inspection.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("reviews the inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class Problem(TrackedModel):
    """问题: one problem an inspection fed back (问题清单)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="problems"
    )
    category = models.ForeignKey(
        ProblemCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("problem"))
    units_concerned = models.ManyToManyField(
        Unit, verbose_name=_("units concerned"), blank=True, related_name="+"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["inspection", "category__sort_order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"],
                name="rectification_problem_number",
                violation_error_message=_("This inspection already has a problem so numbered."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"


class Task(TrackedModel):
    """整改任务: what a unit must do about a problem, by when, and who answers for it
    (任务清单 and 责任清单)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="tasks"
    )
    measures = models.TextField(_("measures"))
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    # The responsible person's account, when they have one: they may not sign off their task.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_on = models.DateField(_("set on"))
    deadline = models.DateField(_("deadline"), db_index=True)
    milestones = models.TextField(_("milestones"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.IN_PROGRESS,
        db_index=True,
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sign_off_note = models.TextField(_("sign-off note"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "id"]
        permissions = [
            ("report_progress", _("Can report progress on the unit's rectification tasks")),
            ("sign_off_task", _("Can sign off and reopen rectification tasks")),
            ("export_task", _("Can export the rectification lists")),
            ("import_task", _("Can import rectification tasks")),
        ]
        indexes = [models.Index(fields=["responsible_unit", "status"])]

    def __str__(self):
        return f"{self.responsible_unit}：{self.measures[:40]}"

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline < today


class TaskEvent(models.Model):
    """One step of a task (domain event); append-only. `status` and `deadline` are the
    task's after the step, so the last event before a day's end tells how it stood then."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=TaskStatus.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices)
    deadline = models.DateField(_("deadline"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason or note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = TaskRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("task step")
        verbose_name_plural = _("task steps")
        ordering = ["task", "at", "id"]
        indexes = [models.Index(fields=["task", "at", "id"])]

    def __str__(self):
        return f"{self.task_id} {self.kind} {self.at:%Y-%m-%d}"


class ProgressReport(TrackedModel):
    """进展情况: what the responsible unit has done, on a day, with its evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completes = models.BooleanField(_("reports the task done"), default=False)

    objects = TaskRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "date", "id"]

    def __str__(self):
        return f"{self.date} {self.text[:30]}"


def evidence_path(instance, filename):
    return f"rectification/{instance.task_id}/{filename}"


class Evidence(TrackedModel):
    """佐证材料: a file proving progress (meeting minutes, a document issued, photos)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaskRelatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]

    def __str__(self):
        return self.name
