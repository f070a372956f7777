"""The public portal (举报平台): pages that work without JavaScript, on a phone, and from a
process that serves nothing else (SAOHEI_PORTAL_ONLY). No view here trusts a login: the
reporter is known only by the receipt code, kept for 30 minutes in the session."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from saohei.clues.actions import WorkflowError
from saohei.core.middleware import client_ip

from . import challenge, receipts, services, throttle
from . import files as portal_files
from .forms import CodeForm, ReporterMessageForm, ReportForm
from .models import Message, MessageKind, Report

SESSION_KEY = "intake_report"
SESSION_MINUTES = 30


def _source(request) -> str:
    return client_ip(request) or "unknown"


def start(request):
    from django.conf import settings

    ceiling = settings.SAOHEI_REWARD_CEILING
    words = f"{ceiling / 10000:g}万元" if ceiling >= 10000 else f"{ceiling}元"
    return render(request, "intake/start.html", {"hotline": _hotline(), "ceiling": words})


def _hotline() -> str:
    from django.conf import settings

    return getattr(settings, "SAOHEI_PORTAL_HOTLINE", "0459-12337")


def _form_page(request, form, status=200):
    token, question = challenge.new()
    data = form.data.copy() if form.is_bound else None
    if data is not None:
        data["token"], data["answer"] = token, ""
        form.data = data
    else:
        form.initial["token"] = token
    return render(request, "intake/form.html", {"form": form, "question": question}, status=status)


def _too_large(request) -> bool:
    """A request larger than all the files allowed together is refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > portal_files.MAX_FILES * portal_files.max_file_bytes() + 1024 * 1024


def _refuse_size(request):
    messages.error(
        request,
        _("What you sent is too large: at most %(n)s files of %(mb)s MB each. Nothing was saved.")
        % {"n": portal_files.MAX_FILES, "mb": portal_files.max_file_bytes() // 1024 // 1024},
    )


@never_cache
def new_report(request):
    try:
        places = services.place_choices()
        services.portal_account()
    except services.PortalClosed:
        return render(request, "intake/closed.html", status=503)
    if request.method != "POST":
        return _form_page(request, ReportForm(places=places))
    if _too_large(request):
        _refuse_size(request)
        return _form_page(request, ReportForm(places=places), status=413)
    form = ReportForm(request.POST, request.FILES, places=places)
    source = _source(request)
    if throttle.exceeded("report", source, "SAOHEI_PORTAL_REPORTS_PER_SOURCE") or (
        throttle.exceeded("report", throttle.GLOBAL, "SAOHEI_PORTAL_REPORTS_GLOBAL")
    ):
        form.add_error(
            None, _("Too many reports were sent from here just now. Please try again in an hour.")
        )
        return _form_page(request, form, status=429)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    refusal = challenge.check(
        form.cleaned_data["token"], form.cleaned_data["answer"], form.cleaned_data["website"]
    )
    if refusal:
        form.add_error(*refusal)
        return _form_page(request, form, status=400)
    throttle.hit("report", source, "SAOHEI_PORTAL_REPORTS_PER_SOURCE")
    throttle.hit("report", throttle.GLOBAL, "SAOHEI_PORTAL_REPORTS_GLOBAL")
    data = dict(form.cleaned_data)
    cleaned_files = data.pop("files")
    try:
        report, code = services.submit(data, cleaned_files, ip=client_ip(request))
    except WorkflowError as exc:
        form.add_error(None, " ".join(exc.messages))
        return _form_page(request, form, status=400)
    # Shown once, in this response only: the code is stored nowhere, not even in the session.
    response = render(
        request,
        "intake/receipt.html",
        {"code": receipts.display(code), "received_on": report.clue.received_on},
    )
    response["Cache-Control"] = "no-store"
    return response


def _current_report(request) -> Report | None:
    held = request.session.get(SESSION_KEY)
    if not held or time.time() - held.get("at", 0) > SESSION_MINUTES * 60:
        request.session.pop(SESSION_KEY, None)
        return None
    report = Report.objects.select_related("clue", "clue__merged_into").filter(pk=held["id"])
    report = report.first()
    if report is not None:
        request.session[SESSION_KEY] = {"id": report.pk, "at": time.time()}
    return report


@never_cache
def check(request):
    """Enter the receipt code. Wrong codes are counted per source and overall; the answer is
    the same whether a code exists or not."""
    if request.method != "POST":
        return render(request, "intake/check.html", {"form": CodeForm()})
    source = _source(request)
    if throttle.exceeded("code", source, "SAOHEI_PORTAL_WRONG_CODES_PER_SOURCE") or (
        throttle.exceeded("code", throttle.GLOBAL, "SAOHEI_PORTAL_WRONG_CODES_GLOBAL")
    ):
        error = _("Too many wrong receipt codes were entered. Please try again in an hour.")
        return render(
            request, "intake/check.html", {"form": CodeForm(), "error": error}, status=429
        )
    report = receipts.find(request.POST.get("code", "")[:40])
    if report is not None:
        request.session.cycle_key()
        request.session[SESSION_KEY] = {"id": report.pk, "at": time.time()}
        return redirect("intake_mine")
    throttle.hit("code", source, "SAOHEI_PORTAL_WRONG_CODES_PER_SOURCE")
    throttle.hit("code", throttle.GLOBAL, "SAOHEI_PORTAL_WRONG_CODES_GLOBAL")
    error = _("No report was found for this receipt code. Check the 16 digits and try again.")
    return render(request, "intake/check.html", {"form": CodeForm(), "error": error}, status=400)


@never_cache
def mine(request):
    report = _current_report(request)
    if report is None:
        messages.info(request, _("Enter your receipt code to see your report."))
        return redirect("intake_check")
    services.feedback_read(report)
    return render(request, "intake/mine.html", _mine_context(report))


def _mine_context(report: Report, *, info_form=None, answer_form=None) -> dict:
    """The reporter's page; a form sent back with errors stays where it was filled in."""
    answering = answer_form.data.get("question") if answer_form is not None else None
    answering = int(answering) if answering and str(answering).isdigit() else None
    clue = report.clue
    thread = list(report.messages.prefetch_related("attachments"))
    open_questions = services.open_questions(report)

    def fresh(question):
        return ReporterMessageForm(initial={"question": question.pk})

    return {
        "report": report,
        "clue": clue,
        "plain_status": services.plain_status(clue),
        "thread": thread,
        "questions": [(q, answer_form if q.pk == answering else fresh(q)) for q in open_questions],
        "info_form": info_form or ReporterMessageForm(),
        "rewards": list(services.rewards_for(report)),
        "can_claim": bool(services.claimable(report)),
        "form_error": info_form is not None,
    }


@require_POST
@never_cache
def mine_post(request, what):
    if what not in ("answer", "info", "claim"):
        raise Http404
    report = _current_report(request)
    if report is None:
        messages.info(request, _("Enter your receipt code again: the page was left open too long."))
        return redirect("intake_check")
    if _too_large(request):
        _refuse_size(request)
        return redirect("intake_mine")
    if not throttle.hit(f"message:{report.pk}", "report", "SAOHEI_PORTAL_MESSAGES_PER_REPORT"):
        messages.error(request, _("Too many messages today. Please come back tomorrow."))
        return redirect("intake_mine")
    ip = client_ip(request)
    try:
        if what == "claim":
            services.claim_reward(report, ip=ip)
            messages.success(
                request,
                _(
                    "Your claim was sent. Bring your receipt code to the campaign office "
                    "to collect the reward."
                ),
            )
            return redirect("intake_mine")
        form = ReporterMessageForm(request.POST, request.FILES)
        if not form.is_valid():
            context = (
                _mine_context(report, answer_form=form)
                if what == "answer"
                else _mine_context(report, info_form=form)
            )
            return render(request, "intake/mine.html", context, status=400)
        question = None
        if what == "answer":
            question = Message.objects.filter(
                report=report, kind=MessageKind.QUESTION, pk=form.cleaned_data["question"]
            ).first()
            if question is None:
                messages.error(request, _("This question was not found."))
                return redirect("intake_mine")
        kind = MessageKind.ANSWER if question else MessageKind.INFO
        services.reporter_post(
            report,
            kind,
            form.cleaned_data["text"],
            form.cleaned_data["files"],
            answers=question,
            ip=ip,
        )
    except WorkflowError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intake_mine")
    messages.success(request, _("Thank you: the office will read what you sent."))
    return redirect("intake_mine")


@require_POST
def leave(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, _("You have left your report's page."))
    return redirect("intake_start")
