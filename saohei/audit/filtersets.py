import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Action, AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("User")
    )
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Action"))
    object_type = django_filters.CharFilter(lookup_expr="icontains", label=_("Object type"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "since", "until"]
