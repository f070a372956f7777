"""Vetting pages: the batches, the upload (screened in the background with a progress bar),
a batch with its candidates, one candidate with the records found and the reviewer's steps,
the downloads, and the rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saohei.core.decorators import require_perm
from saohei.core.jobs import read_progress, run_import, settle_abandoned, start_job
from saohei.core.models import ImportJob
from saohei.core.paging import page_of
from saohei.core.xlsx import attachment_response
from saohei.entities.matching import Tier

from . import reports
from .forms import CandidateListForm, DecisionForm, JudgementForm, RuleForm
from .models import Batch, Candidate, Decision, Rule
from .screening import decide, judge, screen_list

JOB_KIND = "vetting"


@require_perm("vetting.view_batch")
def batch_list(request):
    batches = (
        Batch.objects.visible_to(request.user)
        .select_related("unit", "created_by")
        .annotate(n=Count("candidates"))
        .order_by("-created_at", "-id")  # Meta.ordering is not applied to grouped queries
    )
    return render(
        request, "vetting/batch_list.html", {"page": page_of(batches, request.GET.get("page"))}
    )


@require_perm("vetting.add_batch")
def batch_upload(request):
    """Upload a candidate list: screened in the background, then its batch page."""
    form = CandidateListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, title = form.cleaned_data["file"], form.cleaned_data["title"]
        job, lock = start_job(JOB_KIND, upload.name, request.user)

        def importer(fh, user, progress):
            batch, read = screen_list(
                fh, user, title=title, progress=progress, job=job, file_name=upload.name
            )
            read.created = len(read.rows or [])
            return read

        run_import(job, lock, upload, importer)
        return redirect("vetting_progress", pk=job.pk)
    jobs = list(ImportJob.objects.filter(user=request.user, kind=JOB_KIND)[:10])
    settle_abandoned(jobs)
    return render(request, "vetting/upload.html", {"form": form, "jobs": jobs})


@require_perm("vetting.add_batch")
def batch_progress(request, pk):
    job = get_object_or_404(ImportJob.objects.filter(user=request.user, kind=JOB_KIND), pk=pk)
    settle_abandoned([job])
    if job.state == ImportJob.State.DONE:
        batch = Batch.objects.visible_to(request.user).filter(job=job).first()
        if batch is not None:
            if request.headers.get("HX-Request"):
                response = render(request, "vetting/_progress.html", {"job": job})
                response["HX-Redirect"] = batch.get_absolute_url()
                return response
            return redirect(batch)
    progress = read_progress(job.pk)
    percent = int(100 * progress["done"] / progress["total"]) if progress["total"] else 0
    template = (
        "vetting/_progress.html" if request.headers.get("HX-Request") else "vetting/progress.html"
    )
    return render(request, template, {"job": job, "progress": progress, "percent": percent})


TIER_FILTERS = {"confirmed": Tier.CONFIRMED, "possible": Tier.POSSIBLE, "none": Tier.NONE}


@require_perm("vetting.view_batch")
def batch_detail(request, pk):
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("unit"), pk=pk)
    candidates = Candidate.objects.visible_to(request.user).filter(batch=batch)
    shown = request.GET.get("tier", "")
    if shown in TIER_FILTERS:
        candidates = candidates.filter(tier=TIER_FILTERS[shown])
    elif shown == "rules":
        candidates = candidates.exclude(rules_met="")
    elif shown == "undecided":
        candidates = candidates.filter(decision="").exclude(tier=Tier.NONE)
    context = {
        "batch": batch,
        "figures": batch.figures(),
        "page": page_of(candidates.order_by("row"), request.GET.get("page")),
        "shown": shown,
    }
    return render(request, "vetting/batch_detail.html", context)


@require_perm("vetting.view_batch")
def candidate_detail(request, pk):
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("batch", "decided_by"), pk=pk
    )
    can_decide = request.user.has_perm("vetting.decide_candidate") and (
        Candidate.objects.editable_by(request.user).filter(pk=pk).exists()
    )
    decision_form = DecisionForm(initial={"decision": candidate.decision or Decision.REVIEW})
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if "hit" in request.POST:
            form = JudgementForm(request.POST)
            if form.is_valid():
                hit = get_object_or_404(candidate.hits, pk=form.cleaned_data["hit"])
                judge(hit, form.cleaned_data["same"], form.cleaned_data["note"], by=request.user)
                messages.success(request, _("Your judgement is kept for later lists too."))
                return redirect(candidate)
        else:
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                try:
                    decide(
                        candidate,
                        decision_form.cleaned_data["decision"],
                        decision_form.cleaned_data["note"],
                        by=request.user,
                    )
                except ValueError as exc:
                    decision_form.add_error("note", str(exc))
                else:
                    messages.success(request, _("Decision saved."))
                    return redirect(candidate)
    context = {
        "candidate": candidate,
        "hits": candidate.hits.all(),
        "can_decide": can_decide,
        "decision_form": decision_form,
    }
    return render(request, "vetting/candidate_detail.html", context)


DOWNLOADS = {
    "result": (reports.write_result, "{title}-审查结果.xlsx"),
    "review": (reports.write_review, "{title}-审查明细.xlsx"),
    "report": (reports.write_document, "{title}-资格审查情况报告.docx"),
}


@require_perm("vetting.view_batch")
def batch_download(request, pk, what):
    if what not in DOWNLOADS:
        raise Http404
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("unit"), pk=pk)
    write, name = DOWNLOADS[what]
    return attachment_response(lambda fh: write(batch, fh), name.format(title=batch.title))


@require_perm("vetting.view_rule")
def rule_list(request):
    rules = Rule.objects.visible_to(request.user)
    can_edit = request.user.has_perm("vetting.change_rule")
    return render(request, "vetting/rules.html", {"rules": rules, "can_edit": can_edit})


@require_perm("vetting.change_rule")
def rule_edit(request, pk=None):
    rule = get_object_or_404(Rule.objects.editable_by(request.user), pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Rule saved: it applies to lists screened from now on."))
        return redirect("vetting_rules")
    return render(request, "vetting/rule_form.html", {"form": form, "rule": rule})
