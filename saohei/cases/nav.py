from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.core import todo
from saohei.core.dates import cn_date
from saohei.core.navigation import NavItem, register

from . import discipline
from .choices import CheckStatus, DisposalStatus, Stage
from .models import Case, Disposal, ThreeWayCheck

register(
    NavItem("case_list", gettext_lazy("Cases"), lambda u: u.has_perm("cases.view_case"), order=40)
)
register(
    NavItem(
        "case_checks",
        gettext_lazy("One case, three investigations"),
        lambda u: u.has_perm("cases.view_case"),
        order=45,
    )
)
register(
    NavItem(
        "disposal_list",
        gettext_lazy("Discipline disposals"),
        lambda u: u.has_perm("cases.view_disposal") and discipline.may_dispose_any(u),
        order=50,
    )
)

LIMIT = 8


def case_todo(user):
    if not user.has_perm("cases.view_case") or not user.unit_id:
        return []
    sections = []
    checks = (
        ThreeWayCheck.objects.visible_to(user)
        .filter(responsible_unit_id=user.unit_id)
        .exclude(status=CheckStatus.DONE)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case")
        .order_by("case__opened_on")
    )
    if user.has_perm("cases.record_check") and (total := checks.count()):
        sections.append(
            todo.TodoSection(
                title=_("Checks of one case, three investigations to record"),
                items=[
                    todo.TodoItem(
                        title=f"{c.case.number} {c.get_part_display()}",
                        url=reverse("case_detail", args=[c.case.number]),
                        detail=c.case.name,
                    )
                    for c in checks[:LIMIT]
                ],
                total=total,
                more_url=reverse("case_checks"),
            )
        )
    if user.has_perm("cases.handle_case"):
        # Cases in the unit's hands, the most recently handed over first: a court or a
        # procuratorate learns here that a case has reached it.
        handled = (
            Case.objects.visible_to(user)
            .filter(handling_unit_id=user.unit_id)
            .exclude(stage=Stage.CLOSED)
            .order_by("-stage_since", "-number")
        )
        if total := handled.count():
            sections.append(
                todo.TodoSection(
                    title=_("Cases your unit handles"),
                    items=[
                        todo.TodoItem(
                            title=f"{c.number} {c.name}",
                            url=reverse("case_detail", args=[c.number]),
                            detail=f"{c.get_stage_display()} · {cn_date(c.stage_since)}",
                        )
                        for c in handled[:LIMIT]
                    ],
                    total=total,
                    more_url=reverse("case_list") + f"?unit={user.unit_id}",
                )
            )
    if discipline.may_dispose_any(user):
        disposals = Disposal.objects.visible_to(user).filter(unit_id=user.unit_id)
        if user.has_perm("cases.sign_off_disposal"):
            waiting = disposals.filter(status=DisposalStatus.PROPOSED).exclude(proposed_by=user)
            if total := waiting.count():
                sections.append(
                    todo.TodoSection(
                        title=_("Disposals to sign off"),
                        items=[
                            todo.TodoItem(
                                title=f"{d.clue.number} {d.get_way_display()}",
                                url=reverse("disposal_list"),
                            )
                            for d in waiting.select_related("clue")[:LIMIT]
                        ],
                        total=total,
                        more_url=reverse("disposal_list"),
                    )
                )
        running = disposals.filter(status=DisposalStatus.APPROVED).order_by("due")
        if total := running.count():
            sections.append(
                todo.TodoSection(
                    title=_("Disposals under way"),
                    items=[
                        todo.TodoItem(
                            title=f"{d.clue.number} {d.get_way_display()}",
                            url=reverse("disposal_list"),
                            due=d.due,
                            overdue=d.is_late,
                        )
                        for d in running.select_related("clue")[:LIMIT]
                    ],
                    total=total,
                    more_url=reverse("disposal_list"),
                )
            )
    return sections


todo.register(case_todo)
