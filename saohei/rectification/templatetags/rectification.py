"""The dashboard's panel of overdue rectification tasks, as of the dashboard's day."""

from collections import Counter

from django import template

from ..models import Task
from ..summary import overdue_tasks

register = template.Library()
LIMIT = 10


@register.inclusion_tag("rectification/_overdue_panel.html", takes_context=True)
def overdue_rectification(context, as_of):
    """Tasks overdue at the end of `as_of` among those the user can see: how many by unit,
    and the first few with their deadline then."""
    user = context["request"].user
    visible = Task.objects.visible_to(user).values("pk")
    tasks = list(overdue_tasks(as_of).filter(pk__in=visible))
    units = Counter(t.responsible_unit for t in tasks)
    return {
        "as_of": as_of,
        "total": len(tasks),
        "units": units.most_common(),
        "tasks": sorted(tasks, key=lambda t: (t.deadline_then, t.pk))[:LIMIT],
    }
