from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.core import todo
from saohei.core.navigation import NavItem, register

from .choices import TransferStatus
from .models import Transfer
from .services import transfers_unanswered

register(
    NavItem(
        "transfer_list",
        gettext_lazy("Transfers"),
        lambda u: u.has_perm("transfers.view_transfer"),
        order=30,
    )
)

LIMIT = 8


def _section(title, transfers, due_field, more_url):
    transfers = transfers.select_related("from_unit").order_by(due_field, "sent_at")
    total = transfers.count()
    if not total:
        return None

    def items():
        for t in transfers[:LIMIT]:
            yield todo.TodoItem(
                title=f"{t.number} {t.from_unit.short_name or t.from_unit.name}",
                url=reverse("transfer_detail", args=[t.number]),
                due=getattr(t, due_field),
                overdue=t.late_acknowledgement()
                if due_field == "acknowledge_due"
                else t.late_answer(),
            )

    return todo.TodoSection(title=title, items=todo.Later(items), total=total, more_url=more_url)


def transfer_todo(user):
    """Transfers for the user's unit to sign for and to answer; for the office, the ones
    other units have left unanswered."""
    if not user.has_perm("transfers.view_transfer"):
        return []
    mine = Transfer.objects.visible_to(user)
    sections = []
    if user.unit_id and user.has_perm("transfers.receive_transfer"):
        inbox = mine.filter(to_unit_id=user.unit_id)
        sections.append(
            _section(
                _("Transfers to sign for"),
                inbox.filter(status=TransferStatus.SENT),
                "acknowledge_due",
                reverse("transfer_list") + "?box=in&status=sent",
            )
        )
        sections.append(
            _section(
                _("Transfers to answer"),
                inbox.filter(status=TransferStatus.ACKNOWLEDGED),
                "answer_due",
                reverse("transfer_list") + "?box=in&status=acknowledged",
            )
        )
        sections.append(
            _section(
                _("Sent transfers not answered in time"),
                transfers_unanswered(mine.filter(from_unit_id=user.unit_id)),
                "answer_due",
                reverse("transfer_list") + "?box=out&late=answer",
            )
        )
    if user.has_perm("clues.route_clue"):
        others = transfers_unanswered(mine).exclude(from_unit_id=user.unit_id)
        sections.append(
            _section(
                _("Transfers between units not answered in time"),
                others,
                "answer_due",
                reverse("transfer_list") + "?late=answer",
            )
        )
    return [s for s in sections if s]


todo.register(transfer_todo)
