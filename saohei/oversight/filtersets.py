"""One filter per list, used by its page, the API and the Excel export (STYLE habit 8)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import Unit

from .choices import PublicityKind
from .models import FundAllocation, FundSpending, PublicityActivity, TrainingSession


def _units(request):
    return Unit.objects.visible_to(request.user) if request else Unit.objects.none()


class _UnitPeriodFilterSet(django_filters.FilterSet):
    date_field = ""
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("unit"))
    date_from = django_filters.DateFilter(method="filter_from", label=_("start date"))
    date_to = django_filters.DateFilter(method="filter_to", label=_("end date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if widget.__class__.__name__ == "DateInput":
                widget.input_type = "date"
            css = "form-select" if "Select" in widget.__class__.__name__ else "form-control"
            widget.attrs["class"] = f"{css} form-control-sm"

    def filter_from(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_to(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__lte": value})


class PublicityFilterSet(_UnitPeriodFilterSet):
    date_field = "held_on"
    kind = django_filters.ChoiceFilter(choices=PublicityKind.choices, label=_("form"))
    with_findings = django_filters.BooleanFilter(
        method="filter_findings", label=_("with wording problems")
    )

    class Meta:
        model = PublicityActivity
        fields = []

    def filter_findings(self, queryset, name, value):
        return queryset.exclude(findings=[]) if value else queryset.filter(findings=[])


class AllocationFilterSet(_UnitPeriodFilterSet):
    date_field = "allocated_on"

    class Meta:
        model = FundAllocation
        fields = []


class SpendingFilterSet(_UnitPeriodFilterSet):
    date_field = "spent_on"

    class Meta:
        model = FundSpending
        fields = ["purpose"]


class TrainingFilterSet(_UnitPeriodFilterSet):
    date_field = "held_on"

    class Meta:
        model = TrainingSession
        fields = ["topic"]
