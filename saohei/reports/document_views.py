"""Downloads of the briefing (汇报材料) and the bulletin (通报) as .docx, for the campaign office
(docs/briefing.md).

Both count over Scope.for_user(request.user), the same records as the dashboard. A document
is made in full before anything is sent: a bad date, or a document the checks refuse (a
placeholder left, a wording-check finding), goes back to the page the request came from with
the message (or, without one, a 400 page that shows it). Every download is audited.
"""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.decorators import require_perm
from saohei.core.xlsx import attachment_response

from .briefing import briefing_document, briefing_filename
from .bulletin import LONGEST_PERIOD, bulletin_document, bulletin_filename
from .documents import DocumentError, area_of
from .figures import OFFICE_ROLES, Scope


def _office_only(user) -> None:
    """The briefing and the bulletin speak for the campaign office: its staff, its head, the
    clue custodian and the district leaders who read its figures."""
    if not (user.reads_case_data and user.has_role(*OFFICE_ROLES)):
        raise PermissionDenied


def _day(request, name: str, default: datetime.date | None = None) -> datetime.date:
    value = request.GET.get(name, "").strip()
    if not value and default is not None:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date: give %(name)s as YYYY-MM-DD, e.g. 2019-06-30.")
            % {"value": value, "name": name}
        ) from None


def _jurisdiction(user):
    return user.unit.jurisdiction if user.unit_id else None


@require_perm("clues.view_clue")
def briefing_download(request):
    """GET ?as_of=YYYY-MM-DD (default today): the briefing as of the end of that day."""
    _office_only(request.user)
    today = timezone.localdate()
    try:
        as_of = _day(request, "as_of", today)
        if as_of > today:
            raise ValueError(
                _("%(day)s has not come yet: a briefing reports a day that has ended or today.")
                % {"day": as_of.isoformat()}
            )
    except ValueError as exc:
        return _refuse(request, str(exc))
    scope, place = Scope.for_user(request.user), _jurisdiction(request.user)
    buffer = io.BytesIO()
    try:
        briefing_document(as_of, scope, buffer, jurisdiction=place)
    except DocumentError as exc:
        return _refuse(request, str(exc))
    filename = briefing_filename(as_of, area_of(scope, place))
    record(
        Action.EXPORT,
        object_type="reports.briefing",
        object_repr=filename,
        changes={"as_of": as_of.isoformat()},
    )
    return attachment_response(lambda fh: fh.write(buffer.getvalue()), filename)


@require_perm("clues.view_clue")
def bulletin_download(request):
    """GET ?start=YYYY-MM-DD&end=YYYY-MM-DD: the bulletin of that period (end defaults to
    today, start to six days before the end: a week)."""
    _office_only(request.user)
    today = timezone.localdate()
    try:
        end = _day(request, "end", today)
        start = _day(request, "start", end - datetime.timedelta(days=6))
        if start > end:
            raise ValueError(_("The period starts after it ends: give start on or before end."))
        if end > today:
            raise ValueError(
                _("%(day)s has not come yet: a bulletin reports days that have ended or today.")
                % {"day": end.isoformat()}
            )
        if (end - start).days + 1 > LONGEST_PERIOD:
            raise ValueError(
                _("The period is longer than %(days)s days: make one bulletin per year at most.")
                % {"days": LONGEST_PERIOD}
            )
    except ValueError as exc:
        return _refuse(request, str(exc))
    scope, place = Scope.for_user(request.user), _jurisdiction(request.user)
    buffer = io.BytesIO()
    try:
        bulletin_document(start, end, scope, buffer, jurisdiction=place)
    except DocumentError as exc:
        return _refuse(request, str(exc))
    filename = bulletin_filename(start, end, area_of(scope, place))
    record(
        Action.EXPORT,
        object_type="reports.bulletin",
        object_repr=filename,
        changes={"start": start.isoformat(), "end": end.isoformat()},
    )
    return attachment_response(lambda fh: fh.write(buffer.getvalue()), filename)


def _refuse(request, message: str):
    """Back to the page the request came from with the message, or 400 with it."""
    back = request.headers.get("referer", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.error(request, message)
        return HttpResponseRedirect(back)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
