"""Downloads and uploads of rectification: the three lists (.docx and .xlsx), the sign-off
form of a task (.docx) and the import of the task ledger."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.dates import cn_date
from saohei.core.decorators import require_perm
from saohei.core.xlsx import attachment_response

from . import lists
from .filtersets import TaskFilterSet
from .forms import TaskLedgerForm
from .models import Problem, Task


def _issuer(user) -> str:
    unit = user.unit
    return unit.name if unit is not None else ""


def _export(request, fmt: str):
    user = request.user
    filterset = TaskFilterSet(request.GET, queryset=Task.objects.visible_to(user), request=request)
    tasks = filterset.qs if filterset.is_valid() else Task.objects.none()
    problems = Problem.objects.visible_to(user).filter(
        Q(pk__in=tasks.values("problem_id")) | Q(tasks__isnull=True)
    )
    inspection = filterset.form.cleaned_data.get("inspection") if filterset.is_valid() else None
    if inspection is not None:
        problems = problems.filter(inspection=inspection)
    problems = problems.distinct().order_by(
        "inspection__date", "inspection_id", "category__sort_order", "number"
    )
    today = timezone.localdate()
    data = lists.collect(tasks, problems, today)
    record(
        Action.EXPORT,
        object_type="rectification.task",
        object_repr="整改三个清单",
        changes={"format": fmt, "filter": request.GET.urlencode(), "tasks": len(data["任务清单"])},
    )
    if fmt == "xlsx":
        return attachment_response(
            lambda fh: lists.write_xlsx(data, fh), lists.filename(fmt, today)
        )
    heading = f"{inspection.title}整改清单" if inspection else "整改问题清单、任务清单、责任清单"
    return attachment_response(
        lambda fh: lists.write_docx(data, fh, heading=heading, issuer=_issuer(user), as_of=today),
        lists.filename(fmt, today),
    )


@require_perm("rectification.export_task")
def lists_export_docx(request):
    return _export(request, "docx")


@require_perm("rectification.export_task")
def lists_export_xlsx(request):
    return _export(request, "xlsx")


@require_perm("rectification.view_task")
def sign_off_form(request, pk):
    """整改任务销号审批表: the task, its progress and evidence, and the sign-off, to print,
    sign and keep on file."""
    from saohei.core import officialdoc

    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "problem__inspection", "problem__category", "responsible_unit", "signed_off_by"
        ),
        pk=pk,
    )
    reports = "\n".join(f"{cn_date(r.date)}：{r.text}" for r in task.reports.all()) or "无"
    evidence = "\n".join(e.name for e in task.evidence.all()) or "无"
    rows = [
        ["督导检查", f"{task.problem.inspection.title}（{cn_date(task.problem.inspection.date)}）"],
        ["问题类别", task.problem.category.name],
        ["存在问题", task.problem.text],
        ["整改措施", task.measures],
        ["责任单位", task.responsible_unit.name],
        ["责任人", task.responsible_person],
        ["完成时限", cn_date(task.deadline)],
        ["整改进展", reports],
        ["佐证材料", evidence],
        ["整改状态", str(task.get_status_display())],
        # Unsigned: room to write the opinion and sign by hand.
        ["销号意见", task.sign_off_note or "\n\n\n"],
        [
            "审核人",
            f"{task.signed_off_by}　{cn_date(task.signed_off_at)}"
            if task.signed_off_by
            else "签字：　　　　　　　　日期：　　年　　月　　日",
        ],
    ]

    def write(fh):
        doc = officialdoc.new_document(title="整改任务销号审批表", author=_issuer(request.user))
        officialdoc.title(doc, "整改任务销号审批表")
        officialdoc.table(doc, ["项目", "内容"], rows, [32, 124])
        doc.save(fh)

    record(Action.EXPORT, task, changes={"sign_off_form": task.pk})
    return attachment_response(write, f"整改任务销号审批表（{task.pk}）.docx")


@require_perm("rectification.import_task")
def task_import(request):
    """Upload the task ledger: checked and imported in the background, all rows or none,
    with a progress bar and every problem listed."""
    from saohei.core.jobs import import_page

    from .ledger import import_task_ledger

    return import_page(
        request,
        kind="tasks",
        form_class=TaskLedgerForm,
        importer=import_task_ledger,
        template="rectification/task_import.html",
    )
