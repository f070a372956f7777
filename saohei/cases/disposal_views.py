"""The discipline commission's page: umbrella clues it holds, and its disposals (四类处置)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.clues.models import Clue
from saohei.core.decorators import require_perm

from . import discipline
from .actions import CaseError
from .choices import DisposalStatus
from .forms import DisposalForm, DisposalResultForm, SignOffForm
from .models import Disposal, DisposalRule, in_order_of


def _held_clues(user):
    """Umbrella clues the user's commission holds: assigned or transferred to it."""
    if not discipline.may_dispose_any(user):
        return Clue.objects.none()
    return Clue.objects.visible_to(user).filter(category="umbrella").exclude(status="merged")


@require_perm("cases.view_disposal")
def disposal_list(request):
    user = request.user
    disposals = Disposal.objects.visible_to(user).select_related(
        "clue", "proposed_by", "decided_by", "case"
    )
    held = _held_clues(user)
    pending = held.exclude(
        pk__in=Disposal.objects.exclude(status=DisposalStatus.REFUSED).values("clue_id")
    )
    return render(
        request,
        "cases/disposals.html",
        {
            # What waits for a decision first, then what is under way, then the rest.
            "disposals": disposals.order_by(
                in_order_of("status", DisposalStatus), "due", "-created_at"
            ),
            "pending": pending.order_by("received_on"),
            "form": DisposalForm(clues=held),
            "result_form": DisposalResultForm(user=user),
            "can_propose": discipline.may_dispose_any(user),
            "can_sign": user.has_perm("cases.sign_off_disposal"),
            "rules": DisposalRule.objects.all(),
            "overdue": discipline.overdue_disposals(disposals).count(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@require_perm("cases.view_disposal")
def disposal_propose(request):
    form = DisposalForm(request.POST, clues=_held_clues(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("disposal_list")
    d = form.cleaned_data
    try:
        discipline.propose(d["clue"], request.user, way=d["way"], reason=d["reason"])
    except CaseError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The disposal was sent to a leader for sign-off."))
    return redirect("disposal_list")


@require_POST
@require_perm("cases.view_disposal")
def disposal_step(request, pk, step):
    disposal = get_object_or_404(Disposal.objects.visible_to(request.user), pk=pk)
    try:
        if step == "sign-off":
            form = SignOffForm(request.POST)
            form.is_valid()
            discipline.sign_off(
                disposal,
                request.user,
                approve=form.cleaned_data.get("approve", False),
                note=form.cleaned_data.get("note", ""),
            )
            messages.success(request, _("The disposal was signed off."))
        elif step == "complete":
            form = DisposalResultForm(request.POST, user=request.user)
            if not form.is_valid():
                messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
                return redirect("disposal_list")
            discipline.complete(
                disposal,
                request.user,
                result=form.cleaned_data["result"],
                case=form.cleaned_data["case"],
            )
            messages.success(request, _("The result of the disposal was recorded."))
        else:
            raise Http404
    except CaseError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("disposal_list")
