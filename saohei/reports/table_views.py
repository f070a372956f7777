"""Downloads of the statistical tables (统计报表, docs/statistical-tables.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.xlsx import attachment_response

from .figures import Scope
from .tables import parse_period, write_unit_table

# Who may download the tables: the office, which routes clues, and everyone who may export
# the clue ledger (agencies count what they can see: Scope.for_user).
TABLE_PERMS = ("clues.route_clue", "clues.export_clue")


@login_required
def unit_table_download(request):
    """GET ?period=2019-06 (monthly) or ?period=2019-Q2 (quarterly): the unit table of the
    period as .xlsx. A period still running is counted to today; the download is audited."""
    # require_perm takes one permission; this view accepts either of two (same 302/403).
    if not any(request.user.has_perm(perm) for perm in TABLE_PERMS):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        period = parse_period(request.GET.get("period", ""))
        if period.start > today:
            raise ValueError(
                _("The period %(period)s has not begun yet.") % {"period": period.label}
            )
    except ValueError as exc:
        return _refuse(request, str(exc))

    end = min(period.end, today)
    filename = f"线索办理情况统计表{period.label}.xlsx"
    record(
        Action.EXPORT,
        object_type="reports.table",
        object_repr=filename,
        changes={"period": period.code, "start": period.start, "end": end},
    )
    unit = request.user.unit
    return attachment_response(
        lambda fh: write_unit_table(
            Scope.for_user(request.user),
            period.start,
            end,
            fh,
            compiler=request.user.get_full_name(),
            unit_name=unit.name if unit else "",
            label=period.label,
        ),
        filename,
    )


def _refuse(request, message: str):
    """Back to the page the request came from with the message, or 400 with it."""
    back = request.headers.get("referer", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.error(request, message)
        return HttpResponseRedirect(back)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
