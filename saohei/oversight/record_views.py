"""Pages of the records the assessment reads: publicity (with the wording findings and the
totals), the special funds (balances, rewards included) and training (units not trained on
a listed topic); their forms, the Excel exports and imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.models import Reward
from saohei.core.decorators import require_perm
from saohei.core.jobs import import_page
from saohei.core.paging import page_of
from saohei.core.xlsx import attachment_response, write_ledger_sheet
from saohei.orgs.models import Unit

from . import actions, funds, ledger, publicity, training
from .filtersets import (
    AllocationFilterSet,
    PublicityFilterSet,
    SpendingFilterSet,
    TrainingFilterSet,
)
from .forms import (
    AllocationForm,
    FundLedgerForm,
    PublicityForm,
    PublicityLedgerForm,
    SpendingForm,
    TopicForm,
    TrainingForm,
)
from .models import (
    FundAllocation,
    FundSpending,
    PublicityActivity,
    TrainingSession,
    TrainingTopic,
)


def _filtered(request, filterset_class, queryset):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


def _record_form(request, form, record, title, done_url):
    """Save a form through its action; the action's errors go back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            record(form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(done_url)
    return render(request, "oversight/form.html", {"form": form, "title": title})


# Publicity ----------------------------------------------------------------------------------


@require_perm("oversight.view_publicityactivity")
def publicity_list(request):
    visible = PublicityActivity.objects.visible_to(request.user).select_related("unit")
    filterset, activities = _filtered(request, PublicityFilterSet, visible)
    return render(
        request,
        "oversight/publicity_list.html",
        {
            "filter": filterset,
            "totals": publicity.totals(activities),
            "page": page_of(activities, request.GET.get("page")),
            "query": request.GET.urlencode(),
        },
    )


@require_perm("oversight.add_publicityactivity")
def publicity_new(request):
    units = actions.recordable_units(request.user)
    form = PublicityForm(request.POST or None, request.FILES or None, units=units)
    created = []

    def record(d):
        upload = d.pop("upload", None)
        created.append(actions.record_publicity(request.user, upload=upload, **d))

    response = _record_form(
        request, form, record, _("Record a publicity activity"), "publicity_list"
    )
    if created:
        if created[0].findings:
            messages.warning(request, _("The wording check found problems: see below."))
        return redirect(created[0])
    return response


@require_perm("oversight.view_publicityactivity")
def publicity_detail(request, pk):
    activity = get_object_or_404(
        PublicityActivity.objects.visible_to(request.user).select_related("unit", "recorded_by"),
        pk=pk,
    )
    return render(request, "oversight/publicity_detail.html", {"activity": activity})


@require_perm("oversight.view_publicityactivity")
def publicity_file(request, pk):
    from saohei.audit.models import Action
    from saohei.audit.services import record

    activity = get_object_or_404(PublicityActivity.objects.visible_to(request.user), pk=pk)
    if not activity.file:
        raise Http404
    record(Action.DOWNLOAD, activity, changes={"file": activity.file_name})
    return FileResponse(activity.file.open("rb"), as_attachment=True, filename=activity.file_name)


@require_perm("oversight.view_publicityactivity")
def publicity_export(request):
    visible = PublicityActivity.objects.visible_to(request.user)
    _filterset, activities = _filtered(request, PublicityFilterSet, visible)
    rows = ledger.publicity_rows(activities)
    day = timezone.localdate()
    return attachment_response(
        lambda fh: write_ledger_sheet(
            fh, "宣传活动台账", ledger.PUBLICITY_EXPORT, [28, 12, 12, 8, 20, 10, 24, 40, 10], rows
        ),
        f"宣传活动台账（{day:%Y%m%d}）.xlsx",
    )


@require_perm("oversight.import_publicity")
def publicity_import(request):
    return import_page(
        request,
        kind="publicity",
        form_class=PublicityLedgerForm,
        importer=ledger.import_publicity_ledger,
        template="oversight/publicity_import.html",
    )


# Funds --------------------------------------------------------------------------------------


@require_perm("oversight.view_fundallocation")
def fund_overview(request):
    user = request.user
    units = Unit.objects.visible_to(user)
    alloc_filter, allocations = _filtered(
        request, AllocationFilterSet, FundAllocation.objects.visible_to(user)
    )
    spend_filter, spending = _filtered(
        request, SpendingFilterSet, FundSpending.objects.visible_to(user)
    )
    rows, total = funds.balances(units, allocations, spending)
    rewards = (
        Reward.objects.visible_to(user)
        .filter(pk__in=funds.paid_rewards(units).values("pk"))
        .select_related("clue", "proposed_by__unit")
        .order_by("-paid_on")
    )
    return render(
        request,
        "oversight/funds.html",
        {
            "filter": spend_filter,
            "rows": rows,
            "total": total,
            "purposes": funds.spending_by_purpose(units, spending),
            "allocations": allocations.select_related("unit")[:200],
            "spending": spending.select_related("unit")[:200],
            "rewards": rewards[:200],
            "query": request.GET.urlencode(),
        },
    )


@require_perm("oversight.add_fundallocation")
def allocation_new(request):
    form = AllocationForm(request.POST or None, units=actions.recordable_units(request.user))
    return _record_form(
        request,
        form,
        lambda d: actions.record_allocation(request.user, **d),
        _("Record an allocation of special funds"),
        "funds",
    )


@require_perm("oversight.add_fundspending")
def spending_new(request):
    form = SpendingForm(request.POST or None, units=actions.recordable_units(request.user))
    return _record_form(
        request,
        form,
        lambda d: actions.record_spending(request.user, **d),
        _("Record spending of special funds"),
        "funds",
    )


@require_perm("oversight.view_fundallocation")
def fund_export(request):
    user = request.user
    _f, allocations = _filtered(
        request, AllocationFilterSet, FundAllocation.objects.visible_to(user)
    )
    _f, spending = _filtered(request, SpendingFilterSet, FundSpending.objects.visible_to(user))
    rows = ledger.fund_rows(allocations, spending)
    day = timezone.localdate()
    return attachment_response(
        lambda fh: write_ledger_sheet(
            fh, "专项经费台账", ledger.FUND_EXPORT, [28, 12, 8, 14, 12, 20, 16, 30], rows
        ),
        f"专项经费台账（{day:%Y%m%d}）.xlsx",
    )


@require_perm("oversight.import_funds")
def fund_import(request):
    return import_page(
        request,
        kind="funds",
        form_class=FundLedgerForm,
        importer=ledger.import_fund_ledger,
        template="oversight/fund_import.html",
    )


# Training -----------------------------------------------------------------------------------


@require_perm("oversight.view_trainingsession")
def training_list(request):
    user = request.user
    visible = TrainingSession.objects.visible_to(user).select_related("unit", "topic")
    filterset, sessions = _filtered(request, TrainingFilterSet, visible)
    coverage = training.coverage(
        TrainingTopic.objects.visible_to(user),
        Unit.objects.visible_to(user),
        TrainingSession.objects.visible_to(user),
    )
    return render(
        request,
        "oversight/training.html",
        {
            "filter": filterset,
            "coverage": coverage,
            "page": page_of(sessions, request.GET.get("page")),
        },
    )


@require_perm("oversight.add_trainingsession")
def training_new(request):
    form = TrainingForm(
        request.POST or None,
        units=actions.recordable_units(request.user),
        topics=TrainingTopic.objects.visible_to(request.user),
    )
    return _record_form(
        request,
        form,
        lambda d: actions.record_training(request.user, **d),
        _("Record a training session"),
        "training_list",
    )


@require_perm("oversight.view_trainingtopic")
def topic_list(request):
    user = request.user
    can_add = user.has_perm("oversight.add_trainingtopic")
    form = TopicForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                actions.add_topic(user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("training_topics")
    return render(
        request,
        "oversight/topics.html",
        {"topics": TrainingTopic.objects.visible_to(user), "form": form},
    )
