from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.core import todo
from saohei.core.navigation import NavItem, register

from .choices import COMPUTED
from .models import (
    AssessmentAnswer,
    AssessmentItem,
    AssessmentPeriod,
    TrainingSession,
    TrainingTopic,
)
from .querysets import is_office

register(
    NavItem(
        "assessment_periods",
        gettext_lazy("Assessment"),
        lambda u: u.has_perm("oversight.view_assessmentperiod"),
        order=72,
    )
)
register(
    NavItem(
        "publicity_list",
        gettext_lazy("Publicity"),
        lambda u: u.has_perm("oversight.view_publicityactivity"),
        order=73,
    )
)
register(
    NavItem(
        "funds",
        gettext_lazy("Special funds"),
        lambda u: u.has_perm("oversight.view_fundallocation"),
        order=74,
    )
)
register(
    NavItem(
        "training_list",
        gettext_lazy("Training"),
        lambda u: u.has_perm("oversight.view_trainingsession"),
        order=75,
    )
)


def unit_todo(user):
    """For a member unit: the checklist items of a current period it has not answered, and
    the listed training topics in force that it has not trained on."""
    if not user.unit_id or is_office(user) or not user.has_perm("oversight.add_assessmentanswer"):
        return []
    today = timezone.localdate()
    sections = []
    periods = AssessmentPeriod.objects.visible_to(user).filter(start__lte=today, end__gte=today)
    items = list(AssessmentItem.objects.filter(is_active=True).exclude(method__in=COMPUTED))
    for period in periods:
        answered = set(
            AssessmentAnswer.objects.filter(period=period, unit_id=user.unit_id).values_list(
                "item_id", flat=True
            )
        )
        url = reverse("assessment_unit", args=[period.pk, user.unit_id])
        waiting = [
            todo.TodoItem(title=item.name, url=url, due=period.end)
            for item in items
            if item.pk not in answered
        ]
        if waiting:
            sections.append(
                todo.TodoSection(
                    title=_("Assessment items to answer: %(period)s") % {"period": period},
                    items=waiting,
                    more_url=url,
                )
            )
    trained = TrainingSession.objects.filter(unit_id=user.unit_id, topic=OuterRef("pk"))
    trained = trained.filter(Q(held_on__gte=OuterRef("since")) | Q(topic__since__isnull=True))
    topics = (
        TrainingTopic.objects.filter(listed=True)
        .filter(Q(since__isnull=True) | Q(since__lte=today))
        .exclude(Exists(trained))
    )
    untrained = [
        todo.TodoItem(
            title=t.name,
            url=reverse("training_new"),
            due=t.due_by,
            overdue=bool(t.due_by and t.due_by < today),
        )
        for t in topics
    ]
    if untrained:
        sections.append(
            todo.TodoSection(title=_("Listed topics your unit has not trained on"), items=untrained)
        )
    return sections


todo.register(unit_todo)
