import django_filters
from django.utils.translation import gettext_lazy as _

from saohei.orgs.choices import UnitKind

from .choices import TransferKind, TransferStatus
from .models import Transfer
from .services import transfers_unanswered, unacknowledged_late

BOXES = [("in", _("received by my unit")), ("out", _("sent by my unit"))]
LATE = [("acknowledge", _("not signed for in time")), ("answer", _("not answered in time"))]


class TransferFilterSet(django_filters.FilterSet):
    """One filter for the transfer list, the API and the export."""

    box = django_filters.ChoiceFilter(choices=BOXES, method="filter_box", label=_("Box"))
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices, label=_("Status"))
    kind = django_filters.MultipleChoiceFilter(choices=TransferKind.choices, label=_("Kind"))
    from_kind = django_filters.ChoiceFilter(
        field_name="from_unit__kind", choices=UnitKind.choices, label=_("Kind of sending unit")
    )
    to_kind = django_filters.ChoiceFilter(
        field_name="to_unit__kind", choices=UnitKind.choices, label=_("Kind of receiving unit")
    )
    late = django_filters.ChoiceFilter(choices=LATE, method="filter_late", label=_("Late"))
    sent_from = django_filters.DateFilter(
        field_name="sent_at", lookup_expr="date__gte", label=_("Sent from")
    )
    sent_to = django_filters.DateFilter(
        field_name="sent_at", lookup_expr="date__lte", label=_("Sent to")
    )

    class Meta:
        model = Transfer
        fields = []

    def filter_box(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        unit_id = getattr(user, "unit_id", None)
        if value == "in":
            return queryset.filter(to_unit_id=unit_id)
        if value == "out":
            return queryset.filter(from_unit_id=unit_id)
        return queryset

    def filter_late(self, queryset, name, value):
        if value == "acknowledge":
            return unacknowledged_late(queryset)
        if value == "answer":
            return transfers_unanswered(queryset)
        return queryset
