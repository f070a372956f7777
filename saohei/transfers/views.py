from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.core.decorators import require_perm
from saohei.core.forms import report_form_errors
from saohei.core.paging import page_of
from saohei.orgs.choices import UnitKind

from . import actions, services
from .filtersets import TransferFilterSet
from .forms import AnswerForm, MatrixForm, ReturnForm, TransferForm
from .models import Transfer, TransferAttachment


def visible_transfers(request):
    return Transfer.objects.visible_to(request.user)


@require_perm("transfers.view_transfer")
def transfer_list(request):
    params = request.GET.copy()
    if (
        "box" not in params
        and request.user.unit_id
        and not request.user.has_perm("clues.route_clue")
    ):
        params["box"] = "in"  # an agency starts at its inbox; the office sees them all
    filterset = TransferFilterSet(
        params,
        queryset=visible_transfers(request).select_related("from_unit", "to_unit", "clue", "case"),
        request=request,
    )
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    today = timezone.localdate()
    return render(
        request,
        "transfers/transfer_list.html",
        {
            "filter": filterset,
            "page": page_of(qs, request.GET.get("page")),
            "box": params.get("box", ""),
            "today": today,
            "late_acknowledge": services.unacknowledged_late(visible_transfers(request)).count(),
            "late_answer": services.transfers_unanswered(visible_transfers(request)).count(),
        },
    )


def _subject(request):
    """The clue or case named in the query string, if the user can see it."""
    number = request.GET.get("clue") or request.POST.get("clue")
    if number:
        return get_object_or_404(Clue.objects.visible_to(request.user), number=number), None
    number = request.GET.get("case") or request.POST.get("case")
    if number:
        return None, get_object_or_404(Case.objects.visible_to(request.user), number=number)
    raise Http404


@require_perm("transfers.send_transfer")
def transfer_send(request):
    clue, case = _subject(request)
    initial = {}
    if clue is not None and clue.category == "umbrella":
        initial["kind"] = "umbrella"
    form = TransferForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                transfer = actions.send(
                    request.user,
                    to_unit=d["to_unit"],
                    kind=d["kind"],
                    reason=d["reason"],
                    clue=clue,
                    case=case,
                    answer_due=d["answer_due"],
                )
                if d["file"]:
                    actions.attach(transfer, request.user, d["file"])
        except actions.TransferError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Transfer %(number)s was sent to %(unit)s.")
                % {"number": transfer.number, "unit": transfer.to_unit},
            )
            return redirect("transfer_detail", number=transfer.number)
    elif request.method == "POST":
        report_form_errors(request, form)
    return render(
        request, "transfers/transfer_form.html", {"form": form, "clue": clue, "case": case}
    )


@require_perm("transfers.view_transfer")
def transfer_detail(request, number):
    transfer = get_object_or_404(
        visible_transfers(request).select_related(
            "from_unit", "to_unit", "clue", "case", "sent_by", "acknowledged_by", "answered_by"
        ),
        number=number,
    )
    user = request.user
    receiving = actions.receiving(user, transfer) and user.has_perm("transfers.receive_transfer")
    return render(
        request,
        "transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "contents": transfer.contents_visible_to(user),
            "can_acknowledge": receiving and transfer.status == "sent",
            "can_answer": receiving and transfer.is_open,
            "answer_form": AnswerForm(),
            "return_form": ReturnForm(),
            "attachments": transfer.attachments.select_related("uploaded_by"),
            "subject_visible": (
                Clue.objects.visible_to(user).filter(pk=transfer.clue_id).exists()
                if transfer.clue_id
                else Case.objects.visible_to(user).filter(pk=transfer.case_id).exists()
            ),
            "today": timezone.localdate(),
        },
    )


@require_POST
@require_perm("transfers.receive_transfer")
def transfer_step(request, number, step):
    transfer = get_object_or_404(visible_transfers(request), number=number)
    version = request.POST.get("version", "")
    kw = {"expected_version": int(version)} if version.isdigit() else {}
    try:
        if step == "acknowledge":
            actions.acknowledge(transfer, request.user, **kw)
        elif step == "answer":
            form = AnswerForm(request.POST)
            form.is_valid()
            actions.answer(transfer, request.user, text=form.cleaned_data.get("text", ""), **kw)
        elif step == "return":
            form = ReturnForm(request.POST)
            form.is_valid()
            actions.return_transfer(
                transfer, request.user, reason=form.cleaned_data.get("reason", ""), **kw
            )
        else:
            raise Http404
    except actions.TransferError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Transfer %(number)s: %(status)s.")
            % {"number": transfer.number, "status": transfer.get_status_display()},
        )
    return redirect("transfer_detail", number=number)


@require_perm("transfers.view_transfer")
def transfer_attachment(request, number, pk):
    attachment = get_object_or_404(
        TransferAttachment.objects.visible_to(request.user).select_related("transfer"),
        pk=pk,
        transfer__number=number,
    )
    if not attachment.transfer.contents_visible_to(request.user):
        raise PermissionDenied
    record(Action.DOWNLOAD, attachment, changes={"transfer": number, "file": attachment.name})
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_perm("transfers.view_transfer")
def transfer_matrix(request):
    """How many transfers went from each kind of unit to each other kind in a period, and
    how many were answered: do they run both ways, and are they answered?"""
    form = MatrixForm(request.GET or None)
    today = timezone.localdate()
    start, end = None, today
    if form.is_valid():
        start = form.cleaned_data["start"]
        end = form.cleaned_data["end"] or today
        if start and start > end:
            messages.error(request, _("The start of the period is after its end."))
            start = None
    matrix = services.transfer_matrix(visible_transfers(request), start, end)
    kinds = matrix["kinds"]
    label = dict(UnitKind.choices)
    period = f"box=&sent_from={start or ''}&sent_to={end}"
    table = [
        (
            label[f],
            [(matrix["cells"].get((f, t)), f"{period}&from_kind={f}&to_kind={t}") for t in kinds],
            sum(matrix["cells"].get((f, t), {}).get("sent", 0) for t in kinds),
        )
        for f in kinds
    ]
    totals = [sum(matrix["cells"].get((f, t), {}).get("sent", 0) for f in kinds) for t in kinds]
    return render(
        request,
        "transfers/matrix.html",
        {
            "form": form,
            "matrix": matrix,
            "columns": [label[k] for k in kinds],
            "table": table,
            "totals": totals,
            "period": period,
            "start": start,
            "end": end,
        },
    )


@require_perm("transfers.view_transfer")
def transfer_letter(request, number):
    """The transfer letter (移送函) to print, sign and stamp; an umbrella matter's letter only
    for those who may read its contents. Each download is audited."""
    from saohei.core.xlsx import attachment_response

    from .letter import letter_filename
    from .letter import transfer_letter as write_letter

    transfer = get_object_or_404(
        visible_transfers(request).select_related(
            "from_unit", "to_unit", "clue", "case", "sent_by"
        ),
        number=number,
    )
    if not transfer.contents_visible_to(request.user):
        raise PermissionDenied
    record(Action.EXPORT, transfer, changes={"letter": transfer.number})
    return attachment_response(lambda fh: write_letter(transfer, fh), letter_filename(transfer))
