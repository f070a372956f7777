from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.core.decorators import require_perm
from saohei.core.forms import report_form_errors
from saohei.core.paging import page_of
from saohei.orgs.choices import Role

from . import actions
from .choices import CaseKind, CheckPart
from .filtersets import CaseFilterSet, incomplete_checks
from .forms import (
    AssetForm,
    CaseDetailsForm,
    CaseForm,
    CaseLedgerUploadForm,
    CheckForm,
    OfficialForm,
    OfficialOutcomeForm,
    ReassignCheckForm,
    StageForm,
    SuspectForm,
    SuspectOutcomeForm,
)
from .models import Case, ThreeWayCheck
from .querysets import handles


def visible_cases(request):
    return Case.objects.visible_to(request.user)


@require_perm("cases.view_case")
def case_list(request):
    filterset = CaseFilterSet(
        request.GET,
        queryset=visible_cases(request).select_related("handling_unit").prefetch_related("charges"),
        request=request,
    )
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render(
        request,
        "cases/case_list.html",
        {"filter": filterset, "page": page_of(qs, request.GET.get("page"))},
    )


@require_perm("cases.open_case")
def case_open(request):
    user = request.user
    initial = {}
    if request.GET.get("clues"):
        initial["clues"] = list(
            CaseForm(user=user)
            .fields["clues"]
            .queryset.filter(number__in=request.GET["clues"].split(","))
            .values_list("pk", flat=True)
        )
    form = CaseForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            case = actions.open_case(
                user,
                name=d.pop("name"),
                kind=d.pop("kind"),
                opened_on=d.pop("opened_on"),
                charges=d.pop("charges"),
                clues=d.pop("clues"),
                protects=d.pop("protects"),
                **d,
            )
        except actions.CaseError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Case %(number)s was opened.") % {"number": case.number})
            return redirect("case_detail", number=case.number)
    elif request.method == "POST":
        report_form_errors(request, form)
    return render(request, "cases/case_form.html", {"form": form})


def _detail_context(request, case):
    user = request.user
    steps = [
        (step, StageForm(user=user, kind=step.next_unit_kind or None, prefix=step.name))
        for step in actions.steps_for(user, case)
    ]
    is_handler = handles(user, case) and user.has_perm("cases.handle_case")
    may_reassign = (
        user.has_role(Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
        and case.jurisdiction_id in user.jurisdiction_ids
    ) or is_handler
    checks = [
        (
            check,
            CheckForm(
                user=user,
                prefix=check.part,
                initial={
                    "status": check.status,
                    "result": check.result,
                    "discipline_case": check.discipline_case_id,
                },
            )
            if actions.may_record_check(user, check) and case.stage != "closed"
            else None,
        )
        for check in case.checks.select_related(
            "responsible_unit", "discipline_case", "recorded_by"
        )
    ]
    linked = [c.discipline_case_id for c, _form in checks if c.discipline_case_id]
    return {
        "readable_cases": set(
            Case.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)
        ),
        "case": case,
        "moves": case.moves.select_related("actor", "unit", "actor_unit"),
        "clues": case.clues.visible_to(user),
        "suspects": case.suspects.all(),
        "assets": case.assets.all(),
        "officials": case.officials.all(),
        "checks": checks,
        "missing": case.missing_checks(),
        "steps": steps,
        "is_handler": is_handler,
        "may_reassign": may_reassign and case.stage != "closed",
        "reassign_form": ReassignCheckForm(user=user),
        "suspect_form": SuspectForm(),
        "outcome_choices": SuspectOutcomeForm.base_fields["outcome"].choices,
        "official_outcome_choices": OfficialOutcomeForm.base_fields["outcome"].choices,
        "asset_form": AssetForm(),
        "official_form": OfficialForm(),
        "details_form": CaseDetailsForm(instance=case),
        "umbrella_cases": case.umbrella_cases.visible_to(user),
        "transfers": case.transfers.select_related("from_unit", "to_unit"),
        "can_transfer": user.has_perm("transfers.send_transfer") and user.unit_id,
        "today": timezone.localdate(),
    }


@require_perm("cases.view_case")
def case_detail(request, number):
    case = get_object_or_404(
        visible_cases(request).select_related(
            "handling_unit", "opening_unit", "opened_by", "protects"
        ),
        number=number,
    )
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@require_POST
@require_perm("cases.handle_case")
def case_step(request, number, step):
    case = get_object_or_404(visible_cases(request), number=number)
    if step not in actions.STEPS:
        raise Http404
    kind = actions.STEPS[step].next_unit_kind or None
    form = StageForm(request.POST, user=request.user, kind=kind, prefix=step)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("case_detail", number=number)
    d = form.cleaned_data
    version = request.POST.get("version", "")
    try:
        actions.move(
            case,
            step,
            request.user,
            unit=d["unit"],
            reason=d["reason"],
            closing_reason=d["closing_reason"],
            expected_version=int(version) if version.isdigit() else None,
        )
    except actions.CaseError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Case %(number)s: %(stage)s, handled by %(unit)s.")
            % {
                "number": case.number,
                "stage": case.get_stage_display(),
                "unit": case.handling_unit,
            },
        )
    if not visible_cases(request).filter(pk=case.pk).exists():
        return redirect("case_list")
    return redirect("case_detail", number=number)


PARTS = {
    "suspects": (SuspectForm, _("The suspect was added.")),
    "assets": (AssetForm, _("The asset was recorded.")),
    "officials": (OfficialForm, _("The official was added.")),
}


@require_POST
@require_perm("cases.handle_case")
def case_add(request, number, what):
    """Suspects, assets and officials: the handling unit adds them."""
    case = get_object_or_404(visible_cases(request), number=number)
    if what not in PARTS:
        raise Http404
    actions.handling(request.user, case)
    if what == "officials" and case.kind != CaseKind.UMBRELLA:
        raise PermissionDenied
    form_class, done = PARTS[what]
    form = form_class(request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        item.case = case
        item.save()
        messages.success(request, done)
    else:
        report_form_errors(request, form)
    return redirect("case_detail", number=number)


OUTCOMES = {
    "suspects": (SuspectOutcomeForm, "suspects"),
    "officials": (OfficialOutcomeForm, "officials"),
}


@require_POST
@require_perm("cases.handle_case")
def case_outcome(request, number, what, pk):
    """The unit handling the case now records a suspect's or an official's outcome (the
    court its sentence)."""
    case = get_object_or_404(visible_cases(request), number=number)
    if what not in OUTCOMES:
        raise Http404
    actions.handling(request.user, case)
    form_class, related = OUTCOMES[what]
    item = get_object_or_404(getattr(case, related), pk=pk)
    form = form_class(request.POST, instance=item)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(name)s: the outcome was recorded.") % {"name": item.name})
    else:
        report_form_errors(request, form)
    return redirect("case_detail", number=number)


@require_POST
@require_perm("cases.handle_case")
def case_details(request, number):
    case = get_object_or_404(visible_cases(request), number=number)
    actions.handling(request.user, case)
    form = CaseDetailsForm(request.POST, instance=case)
    if form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The case details were saved."))
    else:
        report_form_errors(request, form)
    return redirect("case_detail", number=number)


@require_POST
@require_perm("cases.view_case")
def case_check(request, number, part):
    case = get_object_or_404(visible_cases(request), number=number)
    if part not in CheckPart.values:
        raise Http404
    check = get_object_or_404(ThreeWayCheck, case=case, part=part)
    if request.POST.get("action") == "reassign":
        form = ReassignCheckForm(request.POST, user=request.user)
        if not form.is_valid():
            report_form_errors(request, form)
        else:
            try:
                actions.reassign_check(check, request.user, form.cleaned_data["unit"])
            except actions.CaseError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("The check was given to %(unit)s.") % {"unit": check.responsible_unit},
                )
        return redirect("case_detail", number=number)
    form = CheckForm(request.POST, user=request.user, prefix=part)
    if not form.is_valid():
        report_form_errors(request, form)
    else:
        try:
            actions.record_check(check, request.user, **form.cleaned_data)
        except actions.CaseError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(check)s was recorded.") % {"check": check.get_part_display()}
            )
    return redirect("case_detail", number=number)


@require_perm("cases.view_case")
def checks_incomplete(request):
    """Gang-type cases whose three checks are not all recorded, with what is missing."""
    cases = (
        incomplete_checks(visible_cases(request))
        .select_related("handling_unit")
        .prefetch_related("checks__responsible_unit")
        .order_by("opened_on")
    )
    page = page_of(cases, request.GET.get("page"))
    return render(request, "cases/checks.html", {"page": page})


@require_perm("cases.export_case")
def case_export(request):
    from saohei.audit.models import Action
    from saohei.audit.services import record
    from saohei.core.xlsx import attachment_response

    from .ledger_export import write_case_ledger

    filterset = CaseFilterSet(request.GET, queryset=visible_cases(request), request=request)
    cases = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    record(
        Action.EXPORT,
        object_type="cases.case",
        changes={"filters": {k: v for k, v in request.GET.items() if v}, "rows": cases.count()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return attachment_response(lambda fh: write_case_ledger(cases, fh), f"案件台账{stamp}.xlsx")


@require_perm("cases.import_case")
def case_import(request):
    from saohei.core.jobs import import_page

    from .ledger import import_case_ledger

    return import_page(
        request,
        kind="cases",
        form_class=CaseLedgerUploadForm,
        importer=import_case_ledger,
        template="cases/import.html",
    )
