"""Pages of targets, drives and the register of rules and meetings (docs/campaigns.md)."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.decorators import require_perm
from saohei.core.xlsx import attachment_response
from saohei.reports.documents import DocumentError

from .actions import TagError, tag, tag_publicity, untag
from .forms import DriveForm, MeetingForm, RegulationForm, TagForm, TargetForm
from .measures import Measure, drill_down
from .models import Drive, Meeting, Regulation, Target
from .progress import progress
from .report import (
    goal_text,
    measure_words,
    pace_text,
    remaining_text,
    unit_names,
    value_text,
    write_drive_report,
)


def _progress_rows(targets, today):
    rows = []
    for target in targets:
        p = progress(target, today)
        rows.append(
            {
                "target": target,
                "p": p,
                "what": measure_words(target),
                "goal": goal_text(target),
                "value": value_text(target, p.today.value),
            }
        )
    return rows


@require_perm("campaigns.view_target")
def target_list(request):
    today = timezone.localdate()
    targets = Target.objects.visible_to(request.user).prefetch_related("units")
    return render(
        request,
        "campaigns/target_list.html",
        {
            "rows": _progress_rows(targets.filter(drive__isnull=True), today),
            "drive_rows": _progress_rows(targets.filter(drive__isnull=False), today),
            "can_add": request.user.has_perm("campaigns.add_target"),
        },
    )


@require_perm("campaigns.view_target")
def target_detail(request, pk):
    target = get_object_or_404(
        Target.objects.visible_to(request.user).prefetch_related("units"), pk=pk
    )
    today = timezone.localdate()
    p = progress(target, today)
    names = unit_names(p.today.by_unit)
    holders = []
    if target.is_rate:
        for unit, (done, whole) in sorted(
            p.today.by_unit.items(), key=lambda kv: kv[1][0] / kv[1][1]
        ):
            holders.append(
                {
                    "name": names.get(unit, "—"),
                    "value": value_text(target, done / whole),
                    "detail": f"{done}/{whole}",
                }
            )
    else:
        for unit, n in sorted(p.today.by_unit.items(), key=lambda kv: -kv[1]):
            holders.append(
                {
                    "name": names.get(unit) or _("awaiting routing (office)"),
                    "value": value_text(target, n),
                    "link": _link(target, today, unit) if unit else "",
                }
            )
    path_rows = [
        {
            "day": r.day,
            "text": value_text(target, r.value),
            "link": _link(target, r.day),
        }
        for r in p.path
    ]
    chart = {
        "links": [r["link"] for r in path_rows],
        "days": [r.day.isoformat() for r in p.path],
        "values": [_chart_value(target, r.value) for r in p.path],
        "goal": _chart_value(target, target.goal_value()),
        "deadline": target.deadline.isoformat(),
        "projected": p.projected.isoformat() if p.projected else None,
        "rate": target.is_rate,
        "labels": [_("value"), _("goal")],
    }
    return render(
        request,
        "campaigns/target_detail.html",
        {
            "target": target,
            "p": p,
            "what": measure_words(target),
            "goal": goal_text(target),
            "value": value_text(target, p.today.value),
            "remaining": remaining_text(p),
            "holders": holders,
            "path_rows": path_rows,
            "pace_30": pace_text(target, p.pace),
            "chart": chart,
            "list_link": _link(target, today),
            "can_edit": Target.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


def _link(target, day, unit=None) -> str:
    """The figures' list of the records a reading counts ("" for a rate)."""
    query = drill_down(target, day, unit)
    if not query:
        return ""
    name = "figures_cases" if target.measure == Measure.OPEN_GANG_CASES else "figures_clues"
    return f"{reverse(name)}?{query}"


def _chart_value(target, value):
    if value is None:
        return None
    return round(value * 100, 1) if target.is_rate else value


def _edit(request, form_class, instance, template, *, title, cancel):
    form = form_class(
        request.POST or None, request.FILES or None, instance=instance, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            if hasattr(obj, "created_by_id") and not obj.pk:
                obj.created_by = request.user
            obj.save()
            form.save_m2m()
        messages.success(request, _("Saved."))
        return obj
    return render(
        request, template, {"form": form, "title": title, "cancel": cancel, "obj": instance}
    )


@require_perm("campaigns.add_target")
def target_edit(request, pk=None):
    target = None
    if pk is not None:
        target = get_object_or_404(Target.objects.editable_by(request.user), pk=pk)
    elif request.GET.get("drive", "").isdigit():
        drive = get_object_or_404(Drive.objects.editable_by(request.user), pk=request.GET["drive"])
        target = Target(
            drive=drive,
            start=drive.start,
            deadline=drive.end,
            jurisdiction_id=drive.jurisdiction_id,
        )
    else:
        # By default the path starts a month back (a past day's value is exact) and the
        # deadline is three months ahead, the usual span of a push.
        today = timezone.localdate()
        target = Target(
            start=today - datetime.timedelta(days=30), deadline=today + datetime.timedelta(days=90)
        )
    result = _edit(
        request,
        TargetForm,
        target,
        "campaigns/form.html",
        title=target.name if target.pk else _("New target"),
        cancel=reverse("campaigns_targets"),
    )
    return redirect(result) if isinstance(result, Target) else result


@require_perm("campaigns.view_drive")
def drive_list(request):
    drives = Drive.objects.visible_to(request.user).prefetch_related("units")
    return render(
        request,
        "campaigns/drive_list.html",
        {
            "drives": drives,
            "can_add": request.user.has_perm("campaigns.add_drive"),
            "today": timezone.localdate(),
        },
    )


@require_perm("campaigns.view_drive")
def drive_detail(request, pk):
    drive = get_object_or_404(
        Drive.objects.visible_to(request.user).prefetch_related("units"), pk=pk
    )
    editable = Drive.objects.editable_by(request.user).filter(pk=pk).exists()
    form = TagForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            return HttpResponseBadRequest(
                _("Only the campaign office tags clues and cases to a drive.")
            )
        untagging = _untagging(request)
        if untagging:
            model, key = untagging
            obj = get_object_or_404(model.objects.visible_to(request.user), pk=request.POST[key])
            untag(drive, obj, request.user)
            return redirect(drive)
        if request.POST.getlist("publicity"):
            try:
                ids = [int(i) for i in request.POST.getlist("publicity")]
                n = tag_publicity(drive, ids, request.user)
            except (ValueError, TagError) as exc:
                messages.error(
                    request, str(exc) if isinstance(exc, TagError) else _("Bad request.")
                )
            else:
                messages.success(request, _("Tagged %(n)s publicity activities.") % {"n": n})
            return redirect(drive)
        if form.is_valid():
            try:
                clues, cases = tag(drive, form.numbers_list(), request.user)
            except TagError as exc:
                form.add_error("numbers", str(exc))
            else:
                messages.success(
                    request,
                    _("Tagged %(n)s clue(s) and %(m)s case(s).")
                    % {"n": len(clues), "m": len(cases)},
                )
                return redirect(drive)
    today = timezone.localdate()
    return render(
        request,
        "campaigns/drive_detail.html",
        {
            "drive": drive,
            "form": form,
            "can_edit": editable,
            "rows": _progress_rows(drive.targets.prefetch_related("units"), min(today, drive.end)),
            "clues": drive.clues.visible_to(request.user)
            .select_related("assigned_unit")
            .order_by("-received_on"),
            "publicity": drive.publicity.visible_to(request.user).select_related("unit"),
            "publicity_to_tag": _publicity_to_tag(drive, request.user) if editable else [],
            "cases": drive.cases.visible_to(request.user)
            .select_related("handling_unit")
            .order_by("-opened_on"),
            "can_report": request.user.has_perm("campaigns.export_drive"),
        },
    )


def _untagging(request):
    from saohei.cases.models import Case
    from saohei.clues.models import Clue
    from saohei.oversight.models import PublicityActivity

    for model, key in (
        (Clue, "untag_clue"),
        (Case, "untag_case"),
        (PublicityActivity, "untag_publicity"),
    ):
        if request.POST.get(key, "").isdigit():
            return model, key
    return None


def _publicity_to_tag(drive, user):
    """Publicity held in the drive's period, by its units (all units when it lists none),
    not yet tagged."""
    from saohei.oversight.models import PublicityActivity

    held = PublicityActivity.objects.visible_to(user).filter(
        held_on__gte=drive.start, held_on__lte=drive.end
    )
    units = [u.pk for u in drive.units.all()]
    if units:
        held = held.filter(unit_id__in=units)
    return held.exclude(drives=drive).select_related("unit").order_by("held_on")


@require_perm("campaigns.add_drive")
def drive_edit(request, pk=None):
    drive = get_object_or_404(Drive.objects.editable_by(request.user), pk=pk) if pk else None
    result = _edit(
        request,
        DriveForm,
        drive,
        "campaigns/form.html",
        title=drive.name if drive else _("New drive"),
        cancel=reverse("campaigns_drives"),
    )
    return redirect(result) if isinstance(result, Drive) else result


@require_perm("campaigns.export_drive")
def drive_report(request, pk):
    drive = get_object_or_404(Drive.objects.visible_to(request.user), pk=pk)
    buffer = io.BytesIO()
    try:
        write_drive_report(drive, buffer)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect(drive)
    filename = f"{drive.name}开展情况报告.docx"
    record(Action.EXPORT, drive, object_repr=filename)
    return attachment_response(lambda fh: fh.write(buffer.getvalue()), filename)


@require_perm("campaigns.view_regulation")
def register(request):
    regulations = Regulation.objects.visible_to(request.user).select_related("unit", "replaced_by")
    return render(
        request,
        "campaigns/register.html",
        {
            "regulations": regulations,
            "in_force": regulations.filter(state=Regulation.State.IN_FORCE).count(),
            "meetings": Meeting.objects.visible_to(request.user).select_related("unit"),
            "can_add": request.user.has_perm("campaigns.add_regulation"),
        },
    )


@require_perm("campaigns.add_regulation")
def regulation_edit(request, pk=None):
    obj = get_object_or_404(Regulation.objects.editable_by(request.user), pk=pk) if pk else None
    result = _edit(
        request,
        RegulationForm,
        obj,
        "campaigns/form.html",
        title=obj.title if obj else _("New rule or mechanism"),
        cancel=reverse("campaigns_register"),
    )
    return redirect("campaigns_register") if isinstance(result, Regulation) else result


@require_perm("campaigns.add_meeting")
def meeting_edit(request, pk=None):
    obj = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk) if pk else None
    result = _edit(
        request,
        MeetingForm,
        obj,
        "campaigns/form.html",
        title=str(obj) if obj else _("New meeting"),
        cancel=reverse("campaigns_register"),
    )
    return redirect("campaigns_register") if isinstance(result, Meeting) else result


@require_perm("campaigns.view_regulation")
def register_file(request, what, pk):
    """The file of a rule or a meeting: served only through here, scoped like its entry, and
    every download audited."""
    from django.http import FileResponse, Http404

    model = {"rules": Regulation, "meetings": Meeting}.get(what)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not obj.file:
        raise Http404
    name = obj.file.name.rsplit("/", 1)[-1]
    record(Action.DOWNLOAD, obj, changes={"file": name})
    return FileResponse(obj.file.open("rb"), as_attachment=True, filename=name)
