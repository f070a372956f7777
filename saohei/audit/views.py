from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .filtersets import AuditEntryFilterSet
from .models import AuditEntry


@permission_required("audit.view_auditentry", raise_exception=True)
def audit_log(request):
    filterset = AuditEntryFilterSet(
        request.GET, queryset=AuditEntry.objects.visible_to(request.user)
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"filter": filterset, "page": page})
