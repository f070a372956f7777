from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import AttachmentForm, DateInput
from saohei.core.forms import BootstrapMixin
from saohei.orgs.models import Unit

from .choices import TransferKind


class TransferForm(BootstrapMixin, forms.Form):
    to_unit = forms.ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TransferKind.choices)
    reason = forms.CharField(
        label=_("Reason and what is asked"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what was found, why it is for the receiving unit, and what it should do."),
    )
    answer_due = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the standard 15 working days."),
    )
    file = forms.FileField(label=_("File (optional)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = (
            Unit.objects.visible_to(user)
            .exclude(pk=user.unit_id)
            .order_by("kind", "sort_order", "name")
            if user.unit_id
            else Unit.objects.none()
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            checker = AttachmentForm(files={"file": upload})
            if not checker.is_valid():
                raise forms.ValidationError(checker.errors["file"])
        return upload


class AnswerForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is it returned?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MatrixForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
