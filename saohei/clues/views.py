from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.audit.services import reveal
from saohei.core.decorators import require_perm
from saohei.core.forms import report_form_errors
from saohei.core.paging import page_of

from . import actions, services, supervision
from .choices import OPEN_STATUSES
from .filtersets import ClueFilterSet
from .forms import (
    STEP_FORMS,
    AttachmentForm,
    ClueForm,
    ContactForm,
    DecisionForm,
    ExtensionForm,
    LedgerUploadForm,
    NoticeAnswerForm,
    NoticeForm,
    PaymentForm,
    RewardForm,
    VerificationForm,
)
from .models import Clue, SupervisionNotice
from .search import too_short
from .transitions import steps_for

INFORMANT_FIELDS = ("informant_name", "informant_phone", "informant_id_number")


def visible_clues(request):
    return Clue.objects.visible_to(request.user)


@require_perm("clues.view_clue")
def clue_list(request):
    filterset = ClueFilterSet(
        request.GET,
        queryset=visible_clues(request).select_related("assigned_unit", "industry"),
        request=request,
    )
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if too_short(request.GET.get("q")):
        messages.warning(request, _("Type at least two characters for each search term."))
    page = page_of(qs, request.GET.get("page"))
    return render(
        request,
        "clues/clue_list.html",
        {
            "filter": filterset,
            "page": page,
        },
    )


@require_perm("clues.register_clue")
def clue_register(request):
    form = ClueForm(request.POST or None, request.FILES or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merge_into = request.POST.get("merge_into", "")
        if not request.POST.get("confirm") and not merge_into:
            found = services.likely_duplicates(
                data["subjects"],
                f"{data['summary']} {data['full_text']}",
                request.user.unit.jurisdiction_id,
            )
            visible = set(
                visible_clues(request)
                .filter(pk__in=[c.pk for c, _r in found])
                .values_list("pk", flat=True)
            )
            duplicates = [(c, r) for c, r in found if c.pk in visible]
        if not duplicates:
            try:
                with transaction.atomic():
                    received_on = data.pop("received_on")
                    upload = data.pop("attachment", None)
                    clue = actions.register(request.user, received_on=received_on, **data)
                    if upload is not None:
                        actions.attach(clue, request.user, upload)
                    if merge_into:
                        target = get_object_or_404(visible_clues(request), number=merge_into)
                        actions.merge(
                            clue, request.user, into=target, reason=_("Registered as a duplicate")
                        )
            except actions.WorkflowError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if merge_into:
                    messages.success(
                        request,
                        _("Clue %(number)s was registered and merged into %(target)s.")
                        % {"number": clue.number, "target": merge_into},
                    )
                    return redirect("clue_detail", number=merge_into)
                messages.success(
                    request, _("Clue %(number)s was registered.") % {"number": clue.number}
                )
                if clue.review_of_id:
                    messages.warning(
                        request,
                        _(
                            "An earlier clue about the same subject, %(number)s, was concluded "
                            "as unfounded: review that conclusion."
                        )
                        % {"number": clue.review_of.number},
                    )
                if visible_clues(request).filter(pk=clue.pk).exists():
                    return redirect("clue_detail", number=clue.number)
                return redirect("clue_list")  # an umbrella clue leaves the registrar's sight
    return render(request, "clues/clue_form.html", {"form": form, "duplicates": duplicates})


def _detail_context(request, clue, **extra):
    user = request.user
    steps = [
        (
            step,
            STEP_FORMS[step.name](user=user, clue=clue)
            if step.name == "assign"
            else STEP_FORMS[step.name](),
        )
        for step in steps_for(user, clue)
    ]
    from .transitions import handling_unit
    from .transitions import office as is_office

    return {
        "clue": clue,
        "moves": clue.moves.select_related("actor", "actor_unit", "unit").prefetch_related(
            "attachments"
        ),
        "verifications": clue.verifications.select_related("recorded_by"),
        "steps": steps,
        "can_record": handling_unit(user, clue) and clue.status in ("verifying", "interim"),
        "verification_form": VerificationForm(),
        "can_reveal": user.has_perm("clues.reveal_informant"),
        "can_record_contact": (
            not clue.anonymous
            and clue.status == "concluded"
            and not clue.informant_contacted_on
            and is_office(user, clue)
        ),
        "contact_form": ContactForm(),
        "extensions": clue.extensions.select_related("requested_by", "decided_by"),
        "notices": clue.notices.select_related("issued_by", "unit", "answered_by"),
        "rewards": clue.rewards.select_related("proposed_by", "decided_by"),
        "can_ask_extension": handling_unit(user, clue) and clue.status in OPEN_STATUSES,
        "is_office": is_office(user, clue),
        "is_unit": handling_unit(user, clue),
        "can_notice": is_office(user, clue)
        and clue.assigned_unit_id
        and clue.status in (*OPEN_STATUSES, "interim"),
        "can_reward": is_office(user, clue)
        and clue.status == "concluded"
        and clue.finding in ("substantiated", "partly"),
        "can_approve_reward": user.has_perm("clues.approve_reward") and is_office(user, clue),
        "extension_form": ExtensionForm(),
        "attachments": clue.attachments.select_related("uploaded_by"),
        "can_attach": is_office(user, clue) or handling_unit(user, clue),
        "attachment_form": AttachmentForm(),
        "notice_form": NoticeForm(),
        "reward_form": RewardForm(),
        "payment_form": PaymentForm(),
        "today": timezone.localdate(),
        "can_open_case": user.has_perm("cases.open_case")
        and clue.assigned_unit_id is not None
        and user.unit_id == clue.assigned_unit_id
        and clue.status != "merged",
        "can_transfer": user.has_perm("transfers.send_transfer")
        and (is_office(user, clue) or handling_unit(user, clue)),
        "cases": clue.cases.visible_to(user),
        "transfers": clue.transfers.visible_to(user).select_related("to_unit"),
        **extra,
    }


@require_perm("clues.view_clue")
def clue_detail(request, number):
    clue = get_object_or_404(
        visible_clues(request).select_related(
            "assigned_unit", "industry", "registering_unit", "merged_into", "review_of"
        ),
        number=number,
    )
    return render(request, "clues/clue_detail.html", _detail_context(request, clue))


@require_POST
@require_perm("clues.reveal_informant")
def clue_reveal(request, number):
    """Show the informant's identity once, to the custodian; each reading is audited."""
    clue = get_object_or_404(visible_clues(request), number=number)
    with transaction.atomic():
        informant = {
            f: reveal(clue, f, request.user, "clues.reveal_informant") for f in INFORMANT_FIELDS
        }
    return render(
        request, "clues/clue_detail.html", _detail_context(request, clue, informant=informant)
    )


STEP_CALLS = {
    "assign": lambda c, u, d: actions.assign(
        c, u, d["unit"], deadline=d["deadline"], reason=d["reason"], **d["kw"]
    ),
    "accept": lambda c, u, d: actions.accept(c, u, reason=d["reason"], **d["kw"]),
    "return": lambda c, u, d: actions.return_clue(c, u, reason=d["reason"], **d["kw"]),
    "interim": lambda c, u, d: actions.interim(c, u, result=d["result"], **d["kw"]),
    "resume": lambda c, u, d: actions.resume(c, u, reason=d["reason"], **d["kw"]),
    "request_conclusion": lambda c, u, d: actions.request_conclusion(
        c,
        u,
        finding=d["finding"],
        result=d["result"],
        led_to_case=d["led_to_case"],
        case_number=d["case_number"],
        **d["kw"],
    ),
    "approve": lambda c, u, d: actions.approve(c, u, reason=d["reason"], **d["kw"]),
    "reject": lambda c, u, d: actions.reject(c, u, reason=d["reason"], **d["kw"]),
    "park": lambda c, u, d: actions.park(c, u, reason=d["reason"], until=d["until"], **d["kw"]),
    "unpark": lambda c, u, d: actions.unpark(c, u, reason=d["reason"], **d["kw"]),
    "merge": lambda c, u, d: actions.merge(
        c, u, into=d["into_clue"], reason=d["reason"], **d["kw"]
    ),
}


@require_POST
@require_perm("clues.view_clue")
def clue_step(request, number, step):
    clue = get_object_or_404(visible_clues(request), number=number)
    if step not in STEP_FORMS:
        raise PermissionDenied
    form_class = STEP_FORMS[step]
    form = (
        form_class(request.POST, user=request.user, clue=clue)
        if step == "assign"
        else form_class(request.POST)
    )
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("clue_detail", number=number)
    data = dict(form.cleaned_data)
    version = request.POST.get("version", "")
    data["kw"] = {"expected_version": int(version)} if version.isdigit() else {}
    if step == "merge":
        data["into_clue"] = visible_clues(request).filter(number=data["into"].strip()).first()
        if data["into_clue"] is None:
            messages.error(request, _("Clue %(number)s was not found.") % {"number": data["into"]})
            return redirect("clue_detail", number=number)
    upload = None
    if request.FILES.get("file"):
        files = AttachmentForm(request.POST, request.FILES)
        if not files.is_valid():
            messages.error(request, " ".join(e for errs in files.errors.values() for e in errs))
            return redirect("clue_detail", number=number)
        upload = files.cleaned_data["file"]
    try:
        with transaction.atomic():
            move = STEP_CALLS[step](clue, request.user, data)
            if upload is not None:
                actions.attach(clue, request.user, upload, move=move)
    except actions.WorkflowError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Clue %(number)s: %(status)s.")
            % {"number": clue.number, "status": clue.get_status_display()},
        )
    if not visible_clues(request).filter(pk=clue.pk).exists():
        return redirect("clue_list")
    return redirect("clue_detail", number=number)


@require_POST
@require_perm("clues.handle_clue")
def clue_add_verification(request, number):
    clue = get_object_or_404(visible_clues(request), number=number)
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            actions.add_verification(clue, request.user, **form.cleaned_data)
        except actions.WorkflowError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The verification work was recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("clue_detail", number=number)


@require_perm("clues.view_clue")
def deadline_board(request):
    """Who is late: overdue and due-soon clues per unit, and informants owed an answer."""
    clues = visible_clues(request)
    today = timezone.localdate()
    overdue = services.overdue(clues, today).select_related("assigned_unit").order_by("deadline")
    soon = services.due_soon(clues, today).select_related("assigned_unit").order_by("deadline")
    per_unit = (
        clues.filter(status__in=OPEN_STATUSES)
        .values("assigned_unit__name")
        .annotate(
            open=Count("id"),
            late=Count("id", filter=Q(deadline__lt=today)),
        )
        .order_by("-late", "-open")
    )
    return render(
        request,
        "clues/deadlines.html",
        {
            "overdue": overdue,
            "soon": soon,
            "per_unit": per_unit,
            "today": today,
            "to_contact": services.informants_to_contact(clues, today),
            "notices": supervision.unanswered_notices(
                SupervisionNotice.objects.visible_to(request.user)
            )
            .select_related("clue", "unit")
            .order_by("answer_due"),
        },
    )


@require_perm("clues.export_clue")
def clue_export(request):
    """The filtered list as the clue ledger (DESIGN §6); the export is audited."""
    from saohei.audit.models import Action
    from saohei.audit.services import record
    from saohei.core.xlsx import attachment_response

    from .ledger import write_ledger

    filterset = ClueFilterSet(request.GET, queryset=visible_clues(request), request=request)
    clues = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    record(
        Action.EXPORT,
        object_type="clues.clue",
        changes={"filters": {k: v for k, v in request.GET.items() if v}, "rows": clues.count()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return attachment_response(lambda fh: write_ledger(clues, fh), f"线索台账{stamp}.xlsx")


@require_POST
@require_perm("clues.route_clue")
def clue_informant_contacted(request, number):
    clue = get_object_or_404(visible_clues(request), number=number)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        actions.record_informant_contact(clue, request.user, on=form.cleaned_data["on"])
        messages.success(request, _("Feedback to the informant was recorded."))
    return redirect("clue_detail", number=number)


def _extension_request(request, clue, d):
    supervision.request_extension(clue, request.user, workdays=d["workdays"], reason=d["reason"])
    return _("The extension request was sent to the office.")


def _extension_decide(request, clue, d):
    req = get_object_or_404(clue.extensions, pk=d["item"])
    supervision.decide_extension(req, request.user, approve=d["approve"], note=d["note"])
    return _("The extension request was decided.")


def _notice_issue(request, clue, d):
    supervision.issue_notice(clue, request.user, level=d["level"], text=d["text"])
    return _("The notice was sent to %(unit)s.") % {"unit": clue.assigned_unit}


def _notice_answer(request, clue, d):
    notice = get_object_or_404(clue.notices, pk=d["item"])
    if d["answer"].strip():
        supervision.answer_notice(notice, request.user, answer=d["answer"])
        return _("The notice was answered.")
    supervision.acknowledge_notice(notice, request.user)
    return _("The notice was acknowledged.")


def _reward_propose(request, clue, d):
    supervision.propose_reward(clue, request.user, amount=d["amount"], basis=d["basis"])
    return _("The reward was proposed to the office head.")


def _reward_decide(request, clue, d):
    reward = get_object_or_404(clue.rewards, pk=d["item"])
    supervision.decide_reward(reward, request.user, approve=d["approve"])
    return _("The reward was decided.")


def _reward_pay(request, clue, d):
    reward = get_object_or_404(clue.rewards, pk=d["item"])
    supervision.record_payment(reward, request.user, paid_on=d["paid_on"], reference=d["reference"])
    return _("The payment was recorded.")


SUPERVISION = {
    "extension": (ExtensionForm, _extension_request),
    "extension-decision": (DecisionForm, _extension_decide),
    "notice": (NoticeForm, _notice_issue),
    "notice-answer": (NoticeAnswerForm, _notice_answer),
    "reward": (RewardForm, _reward_propose),
    "reward-decision": (DecisionForm, _reward_decide),
    "reward-payment": (PaymentForm, _reward_pay),
}


@require_POST
@require_perm("clues.view_clue")
def clue_supervision(request, number, what):
    """Extensions, notices and rewards: each form posts here; the supervision functions
    decide who may do what."""
    clue = get_object_or_404(visible_clues(request), number=number)
    if what not in SUPERVISION:
        raise PermissionDenied
    form_class, handle = SUPERVISION[what]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            messages.success(request, handle(request, clue, form.cleaned_data))
        except actions.WorkflowError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("clue_detail", number=number)


@require_perm("clues.manage_rules")
def clue_settings(request):
    """The office head sets verification limits per category and the list of industries."""
    from .forms import DeadlineRuleFormSet, IndustryFormSet
    from .models import DeadlineRule, Industry

    rules = DeadlineRuleFormSet(
        request.POST or None, prefix="rules", queryset=DeadlineRule.objects.all()
    )
    industries = IndustryFormSet(
        request.POST or None, prefix="industries", queryset=Industry.objects.all()
    )
    if request.method == "POST":
        if rules.is_valid() and industries.is_valid():
            with transaction.atomic():
                rules.save()
                industries.save()
            messages.success(request, _("The settings were saved."))
            return redirect("clue_settings")
        messages.error(request, _("Nothing was saved: correct the marked fields."))
    return render(request, "clues/settings.html", {"rules": rules, "industries": industries})


@require_POST
@require_perm("clues.view_clue")
def clue_attach(request, number):
    clue = get_object_or_404(visible_clues(request), number=number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        with transaction.atomic():
            attachment = actions.attach(clue, request.user, form.cleaned_data["file"])
        messages.success(request, _("%(name)s was added.") % {"name": attachment.name})
    return redirect("clue_detail", number=number)


@require_perm("clues.view_clue")
def attachment_download(request, number, pk):
    """Files are served only through here: scoped like their clue, and every download is
    written to the audit log."""
    from django.http import FileResponse

    from saohei.audit.models import Action
    from saohei.audit.services import record

    from .models import Attachment

    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user), pk=pk, clue__number=number
    )
    record(Action.DOWNLOAD, attachment, changes={"clue": number, "file": attachment.name})
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_perm("clues.import_clue")
def clue_import(request):
    """Upload a clue ledger (DESIGN §6): checked and imported in the background, all rows or
    none, with a progress bar and every problem listed."""
    from saohei.core.jobs import import_page

    from .ledger import import_clue_ledger

    return import_page(
        request,
        kind="clues",
        form_class=LedgerUploadForm,
        importer=import_clue_ledger,
        template="clues/import.html",
    )
