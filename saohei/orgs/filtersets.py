import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import UnitKind
from .models import Unit


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(
        choices=UnitKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )

    class Meta:
        model = Unit
        fields = ["q", "kind"]
