"""Pages of rectification: inspections, their problems and tasks, a task's progress and
sign-off, the overdue and due-soon lists and completion by unit and by inspection. Views stay
thin: every rule is in actions.py and summary.py, every queryset starts from visible_to."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.decorators import require_perm
from saohei.core.forms import report_form_errors
from saohei.core.paging import page_of
from saohei.orgs.models import Unit

from . import actions
from .choices import TaskStatus
from .filtersets import TaskFilterSet
from .forms import (
    CategoryForm,
    DeadlineForm,
    InspectionForm,
    ProblemForm,
    ProgressForm,
    ReopenForm,
    SendBackForm,
    SignOffForm,
    TaskEditForm,
    TaskForm,
)
from .models import Evidence, Inspection, Problem, ProblemCategory, Task
from .summary import completion, due_soon_tasks, overdue_tasks

VIEW = "rectification.view_task"


def _as_of(request):
    """The day asked for (?as_of=YYYY-MM-DD), today when none or one still to come."""
    today = timezone.localdate()
    try:
        day = parse_date(request.GET.get("as_of") or "")
    except ValueError:  # a date shaped but impossible, such as 2019-02-30
        day = None
    return min(day, today) if day else today


def _refused(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))


# Inspections ----------------------------------------------------------------------------------


@require_perm("rectification.view_inspection")
def inspection_list(request):
    user = request.user
    inspections = list(Inspection.objects.visible_to(user).select_related("follows"))
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user)
    by_inspection = completion(tasks, today, by="inspection")
    return render(
        request,
        "rectification/inspection_list.html",
        {
            "rows": [(i, by_inspection.get(i.pk)) for i in inspections],
            "overdue": overdue_tasks(today).filter(pk__in=tasks.values("pk")).count(),
            "due_soon": due_soon_tasks(today).filter(pk__in=tasks.values("pk")).count(),
            "can_add": user.has_perm("rectification.add_inspection") and user.unit_id,
        },
    )


@require_perm("rectification.add_inspection")
def inspection_create(request):
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.create_inspection(request.user, **form.cleaned_data)
        except actions.RectificationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The inspection was recorded: now add its problems."))
            return redirect("inspection_detail", pk=inspection.pk)
    return render(request, "rectification/inspection_form.html", {"form": form})


@require_perm("rectification.view_inspection")
def inspection_detail(request, pk):
    user = request.user
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("follows"), pk=pk
    )
    problems = (
        Problem.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("category")
        .prefetch_related("units_concerned")
    )
    tasks = defaultdict(list)
    visible_tasks = Task.objects.visible_to(user).filter(problem__inspection=inspection)
    for task in visible_tasks.select_related("responsible_unit"):
        tasks[task.problem_id].append(task)
    groups: dict = {}
    for problem in problems:
        problem.task_rows = tasks.get(problem.pk, [])
        groups.setdefault(problem.category, []).append(problem)
    editable = Inspection.objects.editable_by(user).filter(pk=pk).exists() and user.has_perm(
        "rectification.add_problem"
    )
    return render(
        request,
        "rectification/inspection_detail.html",
        {
            "inspection": inspection,
            "groups": list(groups.items()),
            "summary": completion(visible_tasks, timezone.localdate(), by="inspection").get(pk),
            "editable": editable,
            "problem_form": ProblemForm(user=user) if editable else None,
            "today": timezone.localdate(),
        },
    )


@require_POST
@require_perm("rectification.add_problem")
def problem_add(request, pk):
    inspection = get_object_or_404(Inspection.objects.editable_by(request.user), pk=pk)
    form = ProblemForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_problem(
                request.user, inspection, category=d["category"], text=d["text"], units=d["units"]
            )
        except actions.RectificationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The problem was added."))
    else:
        report_form_errors(request, form)
    return redirect("inspection_detail", pk=pk)


@require_perm("rectification.add_task")
def task_create(request, pk):
    problem = get_object_or_404(
        Problem.objects.editable_by(request.user).select_related("inspection", "category"), pk=pk
    )
    initial = {}
    concerned = list(problem.units_concerned.all()[:1])
    if concerned:
        initial["responsible_unit"] = concerned[0]
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_task(
                request.user,
                problem,
                measures=d["measures"],
                responsible_unit=d["responsible_unit"],
                responsible_person=d["responsible_person"],
                deadline=d["deadline"],
                milestones=d["milestones"],
                set_on=d["set_on"],
            )
        except actions.RectificationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The task was set."))
            return redirect("inspection_detail", pk=problem.inspection_id)
    return render(request, "rectification/task_form.html", {"form": form, "problem": problem})


@require_perm("rectification.change_task")
def task_edit(request, pk):
    task = get_object_or_404(
        Task.objects.editable_by(request.user).select_related("problem__inspection"), pk=pk
    )
    initial = {
        "measures": task.measures,
        "responsible_unit": task.responsible_unit_id,
        "responsible_person": task.responsible_person,
        "milestones": task.milestones,
    }
    form = TaskEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.edit_task(task, request.user, **d, **_version(request))
        except (actions.RectificationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The task was changed."))
            return redirect("task_detail", pk=pk)
    return render(
        request,
        "rectification/task_form.html",
        {"form": form, "problem": task.problem, "task": task},
    )


# Tasks ----------------------------------------------------------------------------------------


@require_perm(VIEW)
def task_list(request):
    user = request.user
    filterset = TaskFilterSet(
        request.GET,
        queryset=Task.objects.visible_to(user).select_related(
            "responsible_unit", "problem__inspection", "problem__category"
        ),
        request=request,
    )
    for field in filterset.form.fields.values():
        field.widget.attrs["class"] = "form-select form-select-sm"
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    today = timezone.localdate()
    visible = Task.objects.visible_to(user).values("pk")
    return render(
        request,
        "rectification/task_list.html",
        {
            "filter": filterset,
            "page": page_of(qs, request.GET.get("page")),
            "late": request.GET.get("late", ""),
            "today": today,
            "overdue": overdue_tasks(today).filter(pk__in=visible).count(),
            "due_soon": due_soon_tasks(today).filter(pk__in=visible).count(),
            "query": request.GET.urlencode(),
        },
    )


def _task(request, pk):
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "responsible_unit",
            "problem__inspection",
            "problem__category",
            "signed_off_by",
            "responsible_user",
        ),
        pk=pk,
    )


@require_perm(VIEW)
def task_detail(request, pk):
    user = request.user
    task = _task(request, pk)
    supervises = actions.supervises(user, task)
    reports = task.reports.select_related("reported_by").prefetch_related("evidence")
    return render(
        request,
        "rectification/task_detail.html",
        {
            "task": task,
            "reports": reports,
            "loose_evidence": task.evidence.filter(report__isnull=True),
            "events": task.events.select_related("actor", "actor_unit"),
            "today": timezone.localdate(),
            "overdue": task.is_overdue(timezone.localdate()),
            "can_report": actions.responsible(user, task)
            and task.status in actions.STEPS["progress"].sources,
            "can_sign_off": supervises
            and task.status == TaskStatus.REPORTED
            and not actions.is_responsible_person(user, task),
            "can_send_back": supervises and task.status == TaskStatus.REPORTED,
            "can_reopen": supervises and task.status == TaskStatus.SIGNED_OFF,
            "can_reschedule": supervises and task.status != TaskStatus.SIGNED_OFF,
            "can_edit": supervises
            and task.status != TaskStatus.SIGNED_OFF
            and user.has_perm("rectification.change_task"),
            "progress_form": ProgressForm(initial={"date": timezone.localdate()}),
            "sign_off_form": SignOffForm(),
            "send_back_form": SendBackForm(),
            "reopen_form": ReopenForm(user=user, prefix="reopen"),
            "deadline_form": DeadlineForm(initial={"deadline": task.deadline}, prefix="move"),
        },
    )


def _version(request) -> dict:
    version = request.POST.get("version", "")
    return {"expected_version": int(version)} if version.isdigit() else {}


@require_POST
@require_perm("rectification.report_progress")
def task_progress(request, pk):
    task = _task(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("task_detail", pk=pk)
    d = form.cleaned_data
    try:
        actions.report_progress(
            task,
            request.user,
            text=d["text"],
            files=[d["file"]] if d["file"] else [],
            done=d["done"],
            day=d["date"],
            **_version(request),
        )
    except (actions.RectificationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Reported: the office will check the evidence and sign the task off.")
            if d["done"]
            else _("The progress was recorded."),
        )
    return redirect("task_detail", pk=pk)


@require_POST
@require_perm("rectification.sign_off_task")
def task_step(request, pk, step):
    user = request.user
    task = _task(request, pk)
    try:
        if step == "sign_off":
            form = SignOffForm(request.POST)
            form.is_valid()
            actions.sign_off(
                task,
                user,
                note=form.cleaned_data.get("note", ""),
                evidence_checked=form.cleaned_data.get("evidence_checked", False),
                **_version(request),
            )
        elif step == "send_back":
            form = SendBackForm(request.POST)
            form.is_valid()
            actions.send_back(
                task, user, reason=form.cleaned_data.get("reason", ""), **_version(request)
            )
        elif step in ("reopen", "deadline"):
            form = (
                ReopenForm(request.POST, user=user, prefix="reopen")
                if step == "reopen"
                else DeadlineForm(request.POST, prefix="move")
            )
            if not form.is_valid():
                report_form_errors(request, form)
                return redirect("task_detail", pk=pk)
            d = form.cleaned_data
            if step == "reopen":
                actions.reopen(
                    task,
                    user,
                    reason=d["reason"],
                    deadline=d["deadline"],
                    review=d["review"],
                    **_version(request),
                )
            else:
                actions.change_deadline(
                    task, user, deadline=d["deadline"], reason=d["reason"], **_version(request)
                )
        else:
            raise Http404
    except (actions.RectificationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Task: %(status)s.") % {"status": task.get_status_display()})
    return redirect("task_detail", pk=pk)


@require_perm("rectification.view_evidence")
def evidence_file(request, pk):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    record(Action.DOWNLOAD, evidence, changes={"task": evidence.task_id, "file": evidence.name})
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


# Completion -----------------------------------------------------------------------------------


@require_perm(VIEW)
def completion_page(request):
    """Completion by responsible unit and by inspection, as of a day."""
    user = request.user
    as_of = _as_of(request)
    tasks = Task.objects.visible_to(user)
    by_unit = completion(tasks, as_of, by="unit")
    by_inspection = completion(tasks, as_of, by="inspection")
    units = (
        Unit.objects.visible_to(user)
        .filter(pk__in=list(by_unit))
        .order_by("kind", "sort_order", "name")
    )
    inspections = Inspection.objects.visible_to(user).filter(pk__in=list(by_inspection))
    return render(
        request,
        "rectification/completion.html",
        {
            "as_of": as_of,
            "units": [(u, by_unit[u.pk]) for u in units],
            "inspections": [(i, by_inspection[i.pk]) for i in inspections],
        },
    )


# Categories -----------------------------------------------------------------------------------


@require_perm("rectification.change_problemcategory")
def categories(request):
    """The editable list of problem categories (office head)."""
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(ProblemCategory, pk=request.GET["edit"])
    form = CategoryForm(request.POST or None, instance=editing)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The list of categories was saved."))
            return redirect("rectification_categories")
        report_form_errors(request, form)
    return render(
        request,
        "rectification/categories.html",
        {"categories": ProblemCategory.objects.all(), "form": form, "editing": editing},
    )
