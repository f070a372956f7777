"""The records registry's list filter and ledger upload form."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import LedgerUploadForm

from .choices import RecordKind
from .matching import fold_name, parse_id
from .models import Record


class RecordFilterSet(django_filters.FilterSet):
    """One filter for the records list (and, when they come, the API and the export)."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=RecordKind.choices, label=_("Kind"))

    class Meta:
        model = Record
        fields = []

    def filter_text(self, queryset, name, value):
        """A name as the record or the person has it (any script, former names too), or a
        whole ID number (15 or 18 digits)."""
        value = value.strip()
        if not value:
            return queryset
        info = parse_id(value)
        if info is not None:
            index = Record._meta.get_field("id_index").index_for(info.id18)
            return queryset.filter(id_index=index)
        folded = fold_name(value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(person__name_key__contains=folded)
            | Q(person__former_names__icontains=value)
        )


class RecordLedgerUploadForm(LedgerUploadForm):
    """The same size and type checks as every ledger upload."""

    file = forms.FileField(label=_("Records ledger (.xlsx)"))
