from django.core.paginator import Paginator
from django.shortcuts import render

from saohei.core.decorators import require_perm

from .filtersets import AuditEntryFilterSet
from .models import AuditEntry


@require_perm("audit.view_auditentry")
def audit_log(request):
    filterset = AuditEntryFilterSet(
        request.GET, queryset=AuditEntry.objects.visible_to(request.user)
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"filter": filterset, "page": page})
