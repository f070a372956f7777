"""The office's side of the portal, on the internal system only (never in portal_urls): ask
the reporter a question or write to them from the clue page, and check a receipt code a
person shows when collecting a reward."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.clues.actions import WorkflowError
from saohei.core.decorators import require_perm
from saohei.core.forms import report_form_errors

from . import receipts, services
from .forms import OfficeMessageForm, VerifyCodeForm
from .models import Report


def _report(request, number) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("clue"), clue__number=number
    )


@require_POST
@require_perm("clues.view_clue")
def office_message(request, number):
    report = _report(request, number)
    form = OfficeMessageForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
    else:
        try:
            services.office_post(
                report, request.user, form.cleaned_data["kind"], form.cleaned_data["text"]
            )
        except WorkflowError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The reporter will read it after entering the receipt code.")
            )
    return redirect("clue_detail", number=number)


@require_POST
@require_perm("clues.route_clue")
def office_verify_code(request, number):
    """Does the receipt code a person shows belong to this report? (Reward collection.)
    Each check is written to the audit log."""
    report = _report(request, number)
    if not services.may_write(request.user, report.clue):
        return redirect("clue_detail", number=number)
    form = VerifyCodeForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("clue_detail", number=number)
    matched = receipts.matches(report, form.cleaned_data["code"])
    record(Action.READ_PROTECTED, report, changes={"receipt_code_checked": matched})
    if matched:
        messages.success(request, _("The receipt code belongs to this report."))
    else:
        messages.error(request, _("The receipt code does NOT belong to this report."))
    return redirect("clue_detail", number=number)
