from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.core import todo
from saohei.core.navigation import NavItem, register

from .choices import TaskStatus
from .models import Task
from .summary import due_soon_tasks, overdue_tasks

register(
    NavItem(
        "inspection_list",
        gettext_lazy("Rectification"),
        lambda u: u.has_perm("rectification.view_inspection"),
        order=60,
    )
)

LIMIT = 8


def _section(title, tasks, more_url, today):
    total = tasks.count()
    if not total:
        return None
    items = todo.Later(
        lambda: [
            todo.TodoItem(
                title=f"{t.responsible_unit}：{t.measures[:30]}",
                url=reverse("task_detail", args=[t.pk]),
                due=t.deadline,
                overdue=t.deadline < today,
                detail=t.problem.category.name,
            )
            for t in tasks.select_related("responsible_unit", "problem__category")[:LIMIT]
        ]
    )
    return todo.TodoSection(title=title, items=items, total=total, more_url=more_url)


def rectification_todo(user):
    """For a unit: its overdue and due-soon tasks. For the office: tasks reported done that
    wait for its sign-off, and overdue tasks of every unit."""
    if not user.has_perm("rectification.view_task"):
        return []
    today = timezone.localdate()
    visible = Task.objects.visible_to(user)
    sections = []
    base = reverse("task_list")
    if user.unit_id and user.has_perm("rectification.report_progress"):
        mine = visible.filter(responsible_unit_id=user.unit_id)
        sections.append(
            _section(
                _("Rectification tasks overdue"),
                mine.filter(pk__in=overdue_tasks(today).values("pk")).order_by("deadline"),
                f"{base}?late=overdue&unit={user.unit_id}",
                today,
            )
        )
        sections.append(
            _section(
                _("Rectification tasks due soon"),
                mine.filter(pk__in=due_soon_tasks(today).values("pk")).order_by("deadline"),
                f"{base}?late=due_soon&unit={user.unit_id}",
                today,
            )
        )
    if user.has_perm("rectification.sign_off_task"):
        sections.append(
            _section(
                _("Rectification tasks to sign off"),
                Task.objects.editable_by(user)
                .filter(status=TaskStatus.REPORTED)
                .order_by("deadline"),
                f"{base}?status=reported",
                today,
            )
        )
        others = visible.filter(pk__in=overdue_tasks(today).values("pk"))
        if user.unit_id:
            others = others.exclude(responsible_unit_id=user.unit_id)
        sections.append(
            _section(
                _("Rectification tasks of member units overdue"),
                others.order_by("deadline"),
                f"{base}?late=overdue",
                today,
            )
        )
    return [s for s in sections if s]


todo.register(rectification_todo)
