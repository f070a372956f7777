"""{% reporter_panel clue %}: the reporter's messages on the clue page, for whoever may see
the clue (the clue page itself knows nothing of the portal)."""

from django import template

from saohei.clues.models import Clue

from ..forms import OfficeMessageForm, VerifyCodeForm
from ..models import Report
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
    return {
        "report": report,
        "clue": clue,
        "thread": report.messages.select_related("author").prefetch_related("attachments"),
        "open_questions": len(open_questions(report)),
        "can_write": writer,
        "can_verify": writer and user.has_perm("clues.route_clue"),
        "message_form": OfficeMessageForm(),
        "verify_form": VerifyCodeForm(),
        "csrf_token": context.get("csrf_token"),
    }
