from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.core.dates import cn_datetime
from saohei.core.decorators import require_perm
from saohei.core.xlsx import xlsx_response

from .filtersets import AuditEntryFilterSet
from .models import Action, AuditEntry
from .services import record


def filtered_entries(request) -> AuditEntryFilterSet:
    return AuditEntryFilterSet(request.GET, queryset=AuditEntry.objects.visible_to(request.user))


@require_perm("audit.view_auditentry")
def audit_log(request):
    filterset = filtered_entries(request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"filter": filterset, "page": page})


@require_perm("audit.view_auditentry")
def audit_export(request):
    """The filtered log as .xlsx, for the auditor's archive; the export is itself logged."""
    filterset = filtered_entries(request)
    entries = filterset.qs
    count = entries.count()
    record(
        Action.EXPORT,
        object_type="audit.auditentry",
        changes={"filters": {k: v for k, v in request.GET.items() if v}, "rows": count},
    )
    headers = [
        _("Sequence"),
        _("Time"),
        _("User"),
        _("Address"),
        _("Action"),
        _("Object"),
        _("Details"),
        _("Hash"),
    ]
    rows = (
        [
            e.id,
            cn_datetime(e.at),
            e.actor_name,
            e.ip,
            e.get_action_display(),
            f"{e.object_type_label} {e.object_repr}".strip(),
            "；".join(f"{label}：{text}" for label, text in e.change_lines()),
            e.hash,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return xlsx_response(f"审计日志{stamp}.xlsx", _("Audit log"), headers, rows)
