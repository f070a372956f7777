from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import LedgerUploadForm
from saohei.core.forms import BootstrapMixin

from .models import Decision, Rule, Source


class CandidateListForm(LedgerUploadForm):
    """The same size and type checks as every ledger upload."""

    file = forms.FileField(label=_("Candidate list (.xlsx)"))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example 2021年村“两委”换届候选人; the file name if left empty."),
    )


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class JudgementForm(BootstrapMixin, forms.Form):
    hit = forms.IntegerField(widget=forms.HiddenInput)
    same = forms.TypedChoiceField(
        label=_("Is this the candidate?"),
        choices=[("1", _("Same person")), ("0", _("Someone else"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "name",
            "source",
            "kinds",
            "keywords",
            "window_years",
            "open_only",
            "effect",
            "is_active",
            "sort_order",
        ]

    kinds = forms.MultipleChoiceField(
        label=_("record types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For rules on records; none ticked means any type."),
    )

    def __init__(self, *args, **kwargs):
        from saohei.entities.choices import RecordKind

        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = RecordKind.choices
        self.fields["source"].choices = Source.choices
