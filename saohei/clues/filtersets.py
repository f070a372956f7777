import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import Unit

from .choices import OPEN_STATUSES, Category, Source, Status
from .models import Clue


class ClueFilterSet(django_filters.FilterSet):
    """One filter for the clue list page, the API and the ledger export.

    The choice filters are not DISTINCT (django-filter's default for them): they read
    columns of the clue itself, so no row can come twice, and DISTINCT made SQLite sort every
    matching clue's id before the first page (the list's lookups read an index in order)."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, distinct=False, label=_("Status")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, distinct=False, label=_("Category")
    )
    source = django_filters.MultipleChoiceFilter(
        choices=Source.choices, distinct=False, label=_("Source")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="assigned_unit",
        queryset=lambda request: (
            Unit.objects.visible_to(request.user) if request else Unit.objects.none()
        ),
        label=_("Handling unit"),
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received from")
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("Received to")
    )
    concluded_from = django_filters.DateFilter(
        field_name="concluded_on", lookup_expr="gte", label=_("Concluded from")
    )
    concluded_to = django_filters.DateFilter(
        field_name="concluded_on", lookup_expr="lte", label=_("Concluded to")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("received_on", "received_on"),
            ("number", "number"),
            ("deadline", "deadline"),
            ("status", "status"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Clue
        fields = []

    def filter_text(self, queryset, name, value):
        from .search import search

        return search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        late = {"status__in": OPEN_STATUSES, "deadline__lt": today}
        return queryset.filter(**late) if value else queryset.exclude(**late)
