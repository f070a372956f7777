import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import Unit

from .choices import GANG_KINDS, CaseKind, CheckStatus, Stage
from .models import Case, ThreeWayCheck


def incomplete_checks(cases):
    """Gang-type cases with one of the three checks not yet recorded (一案三查 incomplete)."""
    unfinished = ThreeWayCheck.objects.filter(~Q(status=CheckStatus.DONE) | Q(result=""))
    return (
        cases.filter(kind__in=GANG_KINDS)
        .filter(Q(pk__in=unfinished.values("case_id")) | Q(checks__isnull=True))
        .distinct()
    )


class CaseFilterSet(django_filters.FilterSet):
    """One filter for the case list, the API and the ledger export."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=CaseKind.choices, label=_("Kind"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    unit = django_filters.ModelChoiceFilter(
        field_name="handling_unit",
        queryset=lambda request: (
            Unit.objects.visible_to(request.user) if request else Unit.objects.none()
        ),
        label=_("Handling unit"),
    )
    typical = django_filters.BooleanFilter(field_name="is_typical", label=_("Typical case"))
    oil = django_filters.BooleanFilter(field_name="is_oil", label=_("Oil-field case"))
    checks_incomplete = django_filters.BooleanFilter(
        method="filter_checks", label=_("One case, three investigations incomplete")
    )
    opened_from = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("Opened from")
    )
    opened_to = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("Opened to")
    )

    class Meta:
        model = Case
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(name__icontains=value)
            | Q(summary__icontains=value)
            | Q(suspects__name__icontains=value)
        ).distinct()

    def filter_checks(self, queryset, name, value):
        if value is None:
            return queryset
        incomplete = incomplete_checks(queryset).values("pk")
        return queryset.filter(pk__in=incomplete) if value else queryset.exclude(pk__in=incomplete)
