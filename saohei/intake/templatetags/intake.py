"""{% reporter_panel clue %}: the reporter's messages on the clue page, for whoever may see
the clue (the clue page itself knows nothing of the portal)."""

from django import template
from django.utils import timezone

from saohei.clues.models import Clue

from ..forms import OfficeMessageForm, VerifyCodeForm
from ..models import Message, Report
from ..services import may_write, open_questions

register = template.Library()


@register.inclusion_tag("intake/_reporter_panel_body.html", takes_context=True)
def reporter_panel(context, clue):
    request = context.get("request")
    user = getattr(request, "user", None)
    report = None
    if user is not None and Clue.objects.visible_to(user).filter(pk=clue.pk).exists():
        report = Report.objects.visible_to(user).filter(clue=clue).first()
    if report is None:
        return {"report": None}
    writer = may_write(user, clue)
    thread = list(report.messages.select_related("author").prefetch_related("attachments"))
    if writer:
        # Shown to someone who answers the reporter: read (the to-do entry goes away).
        unread = [m.pk for m in thread if not m.from_office and m.read_at is None]
        Message.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return {
        "report": report,
        "clue": clue,
        "thread": thread,
        "open_questions": len(open_questions(report)),
        "can_write": writer,
        "can_verify": writer and user.has_perm("clues.route_clue"),
        "message_form": OfficeMessageForm(),
        "verify_form": VerifyCodeForm(),
        "csrf_token": context.get("csrf_token"),
    }
