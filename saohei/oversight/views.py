"""Assessment pages: the periods, the items and their weights, the ranking of a period with
the units that handed over no clue, and one unit's checklist with its answers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.core.decorators import require_perm
from saohei.orgs.models import Unit
from saohei.reports.figures import Scope

from . import actions
from .assessment import assess, assessed_units, max_score, units_without_clues
from .forms import AnswerForm, PeriodForm
from .models import AssessmentAnswer, AssessmentItem, AssessmentPeriod, PublicityActivity
from .querysets import is_office


def _period(request, pk) -> AssessmentPeriod:
    return get_object_or_404(
        AssessmentPeriod.objects.visible_to(request.user).select_related("jurisdiction"), pk=pk
    )


def _results(request, period, units=None):
    user = request.user
    items = list(AssessmentItem.objects.visible_to(user).filter(is_active=True))
    results = assess(
        period,
        units if units is not None else Unit.objects.visible_to(user),
        clues=Scope.for_user(user).clues,
        activities=PublicityActivity.objects.visible_to(user),
        items=items,
    )
    return items, results


@require_perm("oversight.view_assessmentperiod")
def period_list(request):
    user = request.user
    periods = AssessmentPeriod.objects.visible_to(user)
    own = None
    if not is_office(user) and user.unit_id:
        own = user.unit
    return render(
        request,
        "oversight/period_list.html",
        {"periods": periods, "own_unit": own, "can_rank": user.has_perm("oversight.view_ranking")},
    )


@require_perm("oversight.add_assessmentperiod")
def period_new(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = actions.create_period(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(period)
    return render(request, "oversight/form.html", {"form": form, "title": _("New period")})


@require_perm("oversight.view_assessmentitem")
def item_list(request):
    user = request.user
    items = list(AssessmentItem.objects.visible_to(user))
    can_edit = user.has_perm("oversight.change_assessmentitem")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        weights, bad = {}, []
        for item in items:
            value = request.POST.get(f"weight-{item.pk}", "").strip()
            try:
                weights[item.pk] = Decimal(value)
            except InvalidOperation:
                bad.append(item.name)
        if bad:
            messages.error(
                request,
                _("Write each weight as a number of points, such as 10 or 7.5: %(items)s")
                % {"items": "、".join(bad)},
            )
        else:
            try:
                changed = actions.set_weights(user, weights)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(n)s weights changed.") % {"n": changed})
                return redirect("assessment_items")
    return render(
        request,
        "oversight/items.html",
        {"items": items, "can_edit": can_edit, "total": max_score(items)},
    )


@require_perm("oversight.view_ranking")
def ranking(request, pk):
    period = _period(request, pk)
    items, results = _results(request, period)
    return render(
        request,
        "oversight/ranking.html",
        {
            "period": period,
            "items": items,
            "results": results,
            "max_score": max_score(items),
            "no_clue": units_without_clues(results),
        },
    )


@require_perm("oversight.view_ranking")
def ranking_export(request, pk):
    """The ranking as an Excel sheet: rank, unit, each item's points, the score, and the
    clues handed over, as the ranking page shows them."""
    from saohei.core.xlsx import xlsx_response

    period = _period(request, pk)
    items, results = _results(request, period)
    headers = ["名次", "单位", *[f"{i.name}（{i.weight}分）" for i in items], "总分", "移交线索数"]
    rows = (
        [r.rank, r.unit.name, *[float(i.points) for i in r.items], float(r.score), r.handed_over]
        for r in results
    )
    return xlsx_response(f"{period.name}考核排名.xlsx", f"{period.name}考核排名", headers, rows)


def _checklist_unit(request, period, unit_pk) -> Unit:
    units = assessed_units(period, Unit.objects.visible_to(request.user))
    if not is_office(request.user):
        units = units.filter(pk=request.user.unit_id)
    return get_object_or_404(units, pk=unit_pk)


@require_perm("oversight.view_assessmentanswer")
def unit_checklist(request, pk, unit):
    period = _period(request, pk)
    unit = _checklist_unit(request, period, unit)
    items, results = _results(request, period, Unit.objects.filter(pk=unit.pk))
    if not results:
        raise Http404
    can_answer = (
        request.user.has_perm("oversight.add_assessmentanswer")
        and actions.recordable_units(request.user).filter(pk=unit.pk).exists()
    )
    return render(
        request,
        "oversight/checklist.html",
        {
            "period": period,
            "unit": unit,
            "result": results[0],
            "max_score": max_score(items),
            "can_answer": can_answer,
        },
    )


@require_POST
@require_perm("oversight.add_assessmentanswer")
def answer(request, pk, unit):
    period = _period(request, pk)
    unit = _checklist_unit(request, period, unit)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        item = get_object_or_404(AssessmentItem.objects.visible_to(request.user), pk=d["item"])
        try:
            actions.answer_item(
                request.user,
                period,
                unit,
                item,
                done=d["done"],
                note=d["note"],
                upload=d["upload"],
                full_time=d["full_time"],
                part_time=d["part_time"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The answer to “%(item)s” was saved.") % {"item": item})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("assessment_unit", pk=period.pk, unit=unit.pk)


@require_perm("oversight.view_assessmentanswer")
def answer_file(request, pk):
    from saohei.audit.models import Action
    from saohei.audit.services import record

    found = get_object_or_404(AssessmentAnswer.objects.visible_to(request.user), pk=pk)
    if not found.file:
        raise Http404
    record(Action.DOWNLOAD, found, changes={"file": found.file_name})
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)
