import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Action, AuditEntry


def object_type_choices():
    """Every change-logged model, by its name in the user's language."""
    from django.apps import apps

    from saohei.core.models import ChangeTracking

    return sorted(
        (
            (m._meta.label_lower, str(m._meta.verbose_name))
            for m in apps.get_models()
            if issubclass(m, ChangeTracking)
        ),
        key=lambda c: c[1],
    )


class AuditEntryFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("User")
    )
    action = django_filters.ChoiceFilter(
        choices=Action.choices, label=_("Action"), empty_label=_("All actions")
    )
    object_type = django_filters.CharFilter(label=_("Object type"))  # choices: __init__
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new filter per request: the labels follow the user's language (a class-level
        # filter caches its form field, and the API schema generator builds it early).
        self.filters["object_type"] = django_filters.ChoiceFilter(
            field_name="object_type",
            choices=object_type_choices(),
            label=_("Object type"),
            empty_label=_("All object types"),
        )
        self.filters["object_type"].parent = self

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "since", "until"]
