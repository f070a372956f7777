from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saohei.core.decorators import require_perm
from saohei.orgs.choices import Role

from .forms import SecurityPolicyForm
from .models import SecurityPolicy
from .security import locked_accounts, unlock
from .todo import todo_for


@login_required
def home(request):
    """The home page: for business roles the to-do list first; for the three officers, the
    state of what they look after."""
    from saohei.audit.services import last_login_summary

    user = request.user
    context = {"user_roles": user.role_labels, "last_login": last_login_summary(user)}
    if user.reads_case_data:
        from saohei.orgs.services import member_units

        context["todo"] = todo_for(user)
        context["units"] = member_units(user)
    if user.has_role(Role.SYSADMIN):
        from saohei.orgs.services import account_overview

        context["accounts"] = account_overview()
    if user.has_role(Role.SECURITY_ADMIN):
        context["policy"] = SecurityPolicy.current()
        context["locked"] = locked_accounts()
    if user.has_role(Role.AUDITOR):
        from saohei.audit.models import AuditEntry

        context["audit_recent"] = AuditEntry.objects.visible_to(user)[:10]
    return render(request, "core/home.html", context)


@require_perm("core.manage_policy")
def security_policy(request):
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The security policy was saved."))
        return redirect("security_policy")
    from saohei.orgs.twofactor import accounts_without_two_factor

    return render(
        request,
        "core/security_policy.html",
        {
            "form": form,
            "locked": locked_accounts(),
            "two_factor_missing": accounts_without_two_factor(),
        },
    )


@require_POST
@require_perm("core.manage_policy")
def unlock_account(request):
    username = request.POST.get("username", "").strip()
    if username:
        with transaction.atomic():
            unlock(username)
        messages.success(request, _("Account %(name)s was unlocked.") % {"name": username})
    return redirect("security_policy")


@login_required
def import_job(request, pk):
    """Progress and outcome of an import, for the user who started it (polled by htmx)."""
    from django.shortcuts import get_object_or_404

    from .jobs import read_progress, settle_abandoned
    from .models import ImportJob

    job = get_object_or_404(ImportJob.objects.filter(user=request.user), pk=pk)
    settle_abandoned([job])
    progress = read_progress(job.pk)
    percent = int(100 * progress["done"] / progress["total"]) if progress["total"] else 0
    template = (
        "core/_import_job.html" if request.headers.get("HX-Request") else "core/import_job.html"
    )
    return render(request, template, {"job": job, "progress": progress, "percent": percent})
