import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import Unit

from .choices import TaskStatus
from .models import Inspection, ProblemCategory, Task
from .summary import due_soon_tasks, overdue_tasks

LATE = [("overdue", _("overdue")), ("due_soon", _("due soon"))]


def _units(request):
    return Unit.objects.visible_to(request.user) if request else Unit.objects.none()


def _inspections(request):
    return Inspection.objects.visible_to(request.user) if request else Inspection.objects.none()


class TaskFilterSet(django_filters.FilterSet):
    """One filter for the task list, the API and the exports."""

    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit", queryset=_units, label=_("Responsible unit")
    )
    inspection = django_filters.ModelChoiceFilter(
        field_name="problem__inspection", queryset=_inspections, label=_("Inspection")
    )
    category = django_filters.ModelChoiceFilter(
        field_name="problem__category",
        queryset=ProblemCategory.objects.all(),
        label=_("Problem category"),
    )
    late = django_filters.ChoiceFilter(
        choices=LATE, method="filter_late", label=_("Rectification deadline")
    )

    class Meta:
        model = Task
        fields = []

    def filter_late(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(pk__in=overdue_tasks(today).values("pk"))
        if value == "due_soon":
            return queryset.filter(pk__in=due_soon_tasks(today).values("pk"))
        return queryset
