from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import LedgerUploadForm
from saohei.core.forms import BootstrapMixin

from .choices import MANUAL_PURPOSES
from .models import (
    AssessmentPeriod,
    FundAllocation,
    FundSpending,
    PublicityActivity,
    TrainingSession,
    TrainingTopic,
)
from .publicity import MAX_FILE_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceMixin:
    """A unit field offering the units the user may record for (actions.recordable_units)."""

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units is not None and units.count() == 1:
            self.fields["unit"].initial = units.first()


def _checked_file(upload):
    if upload and upload.size > MAX_FILE_BYTES:
        raise forms.ValidationError(
            _("The file is %(size).1f MB; at most %(limit)d MB is accepted.")
            % {"size": upload.size / 2**20, "limit": MAX_FILE_BYTES // 2**20}
        )
    return upload


class PublicityForm(UnitChoiceMixin, BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    upload = forms.FileField(
        label=_("Text or poster (.txt, .docx, .jpg, .png, .pdf)"), required=False
    )

    class Meta:
        model = PublicityActivity
        fields = ["unit", "held_on", "kind", "title", "quantity", "outlet", "media_reports", "text"]
        widgets = {"held_on": DATE, "text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "text": _(
                "The wording of the text or poster: it is checked for wrong slogans and for the "
                "reporting phone."
            )
        }

    def clean_upload(self):
        return _checked_file(self.cleaned_data.get("upload"))


class AllocationForm(UnitChoiceMixin, BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)

    class Meta:
        model = FundAllocation
        fields = ["unit", "allocated_on", "amount", "purpose", "source", "document", "note"]
        widgets = {"allocated_on": DATE}


class SpendingForm(UnitChoiceMixin, BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    purpose = forms.ChoiceField(label=_("purpose"), choices=MANUAL_PURPOSES)

    class Meta:
        model = FundSpending
        fields = ["unit", "spent_on", "amount", "purpose", "voucher", "note"]
        widgets = {"spent_on": DATE}


class TrainingForm(UnitChoiceMixin, BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)

    class Meta:
        model = TrainingSession
        fields = ["unit", "held_on", "topic", "title", "attendees", "attendee_names", "note"]
        widgets = {"held_on": DATE, "attendee_names": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topics is not None:
            self.fields["topic"].queryset = topics


class TopicForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TrainingTopic
        fields = ["name", "description", "listed", "since", "due_by"]
        widgets = {"since": DATE, "due_by": DATE}


class PeriodForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AssessmentPeriod
        fields = ["name", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class AnswerForm(BootstrapMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(label=_("done"), required=False)
    note = forms.CharField(
        label=_("evidence (note)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    upload = forms.FileField(label=_("evidence (file)"), required=False)
    full_time = forms.IntegerField(label=_("full-time staff"), min_value=0, required=False)
    part_time = forms.IntegerField(label=_("part-time staff"), min_value=0, required=False)

    def clean_upload(self):
        return _checked_file(self.cleaned_data.get("upload"))


class PublicityLedgerForm(LedgerUploadForm):
    file = forms.FileField(label=_("Publicity ledger (.xlsx)"))


class FundLedgerForm(LedgerUploadForm):
    file = forms.FileField(label=_("Fund ledger (.xlsx)"))
