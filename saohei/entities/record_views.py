"""The records registry (前科劣迹): the list and the ledger upload."""

from django.shortcuts import render

from saohei.core.decorators import require_perm
from saohei.core.paging import page_of

from .forms_records import RecordFilterSet, RecordLedgerUploadForm
from .models import Record


def masked_id(id_number: str) -> str:
    """230602198001011233 -> 2306**********1233: enough to tell records apart on a list."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


@require_perm("entities.view_record")
def record_list(request):
    filterset = RecordFilterSet(request.GET, queryset=Record.objects.visible_to(request.user))
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = page_of(qs, request.GET.get("page"))
    for rec in page.object_list:
        rec.masked_id = masked_id(rec.id_number or "")
    return render(request, "entities/records/record_list.html", {"filter": filterset, "page": page})


@require_perm("entities.import_record")
def record_import(request):
    """Upload the records ledger (docs/records-ledger.md): checked and imported in the
    background, all rows or none, with a progress bar and every problem listed."""
    from saohei.core.jobs import import_page

    from .records_ledger import import_records_ledger

    return import_page(
        request,
        kind="records",
        form_class=RecordLedgerUploadForm,
        importer=import_records_ledger,
        template="entities/records/import.html",
    )
