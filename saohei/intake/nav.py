"""To-do (待办): reporters' answers, new information and reward claims not yet read by the
office or the unit handling the clue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.core import todo
from saohei.orgs.choices import Role

from .models import FROM_OFFICE, Message, Report

LIMIT = 8
WRITERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN)


def unread_reports(user):
    """Reports with reporter messages unread, among those the user answers."""
    unread = Message.objects.filter(read_at__isnull=True).exclude(kind__in=FROM_OFFICE)
    reports = Report.objects.editable_by(user).filter(pk__in=unread.values("report_id"))
    if not user.has_role(*WRITERS):
        reports = reports.filter(clue__assigned_unit_id=user.unit_id)
    return reports


def intake_todo(user):
    if not user.has_perm("clues.view_clue"):
        return None
    reports = unread_reports(user).select_related("clue").order_by("clue__received_on")
    total = reports.count()
    if not total:
        return None
    return todo.TodoSection(
        title=_("Reporters' new messages"),
        items=[
            todo.TodoItem(
                title=f"{r.clue.number} {r.clue.summary[:30]}",
                url=reverse("clue_detail", args=[r.clue.number]),
            )
            for r in reports[:LIMIT]
        ],
        total=total,
    )


todo.register(intake_todo)
