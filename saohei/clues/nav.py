from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.core import todo
from saohei.core.navigation import NavItem, register

from .choices import Status
from .models import Clue
from .services import informants_to_contact, overdue

register(
    NavItem("clue_list", gettext_lazy("Clues"), lambda u: u.has_perm("clues.view_clue"), order=10)
)
register(
    NavItem(
        "clue_deadlines",
        gettext_lazy("Deadlines"),
        lambda u: u.has_perm("clues.view_clue"),
        order=20,
    )
)
register(
    NavItem(
        "clue_settings",
        gettext_lazy("Clue settings"),
        lambda u: u.has_perm("clues.manage_rules"),
        order=700,
    )
)

LIMIT = 8


def _section(title, clues, *, more_url="", due=True):
    clues = clues.order_by("deadline", "received_on")
    total = clues.count()
    if not total:
        return None
    today = timezone.localdate()
    items = todo.Later(
        lambda: [
            todo.TodoItem(
                title=f"{c.number} {c.summary[:30]}",
                url=reverse("clue_detail", args=[c.number]),
                due=c.deadline if due else None,
                overdue=bool(due and c.deadline and c.deadline < today),
            )
            for c in clues[:LIMIT]
        ]
    )
    return todo.TodoSection(title=title, items=items, total=total, more_url=more_url)


def clue_todo(user):
    """What is waiting for the user or their unit, by role."""
    if not user.has_perm("clues.view_clue"):
        return []
    mine = Clue.objects.visible_to(user)
    sections = []
    if user.has_perm("clues.route_clue"):
        sections.append(
            _section(
                _("Clues to route"),
                mine.filter(status=Status.RECEIVED),
                more_url=reverse("clue_list") + "?status=received",
                due=False,
            )
        )
        sections.append(
            _section(
                _("Parked clues due for review"),
                mine.filter(status=Status.PARKED, parked_until__lte=timezone.localdate()),
                due=False,
            )
        )
        late = informants_to_contact(mine)
        late = [c for c, _due, is_late in late if is_late]
        if late:
            sections.append(
                todo.TodoSection(
                    title=_("Named informants to tell the result"),
                    items=[
                        todo.TodoItem(title=c.number, url=reverse("clue_detail", args=[c.number]))
                        for c in late[:LIMIT]
                    ],
                    total=len(late),
                    more_url=reverse("clue_deadlines"),
                )
            )
    if user.unit_id and user.has_perm("clues.handle_clue"):
        unit = mine.filter(assigned_unit_id=user.unit_id)
        sections.append(_section(_("Clues to accept"), unit.filter(status=Status.ASSIGNED)))
        sections.append(_section(_("Clues being verified"), unit.filter(status=Status.VERIFYING)))
    if user.unit_id and user.has_perm("clues.approve_clue"):
        sections.append(
            _section(
                _("Conclusions to approve"),
                mine.filter(assigned_unit_id=user.unit_id, status=Status.AWAITING_APPROVAL),
            )
        )
    if user.has_perm("clues.route_clue"):
        sections.append(
            _section(_("Overdue clues"), overdue(mine), more_url=reverse("clue_deadlines"))
        )
    return [s for s in sections if s]


todo.register(clue_todo)
