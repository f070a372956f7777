from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import Category
from saohei.clues.forms import checked_attachment
from saohei.core.forms import BootstrapMixin
from saohei.orgs.models import Unit

from .models import Drive, Meeting, Regulation, Target

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _UnitsOfJurisdiction:
    """Unit choices limited to the user's jurisdictions; the jurisdiction is the user's."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = Unit.objects.visible_to(user)
        if "units" in self.fields:
            self.fields["units"].queryset = units
        if "unit" in self.fields:
            # A member unit keeps its own register; the office may enter any unit's.
            office = user.has_perm("campaigns.add_target")
            self.fields["unit"].queryset = units if office else units.filter(pk=user.unit_id)
            self.fields["unit"].initial = user.unit_id
        if "replaced_by" in self.fields:
            self.fields["replaced_by"].queryset = Regulation.objects.visible_to(user)
        if "drive" in self.fields:
            self.fields["drive"].queryset = Drive.objects.editable_by(user)

    def save(self, commit=True):
        obj = super().save(commit=False)
        if not obj.jurisdiction_id:
            unit = self.cleaned_data.get("unit") or self.user.unit
            obj.jurisdiction_id = unit.jurisdiction_id if unit else self.user.jurisdiction_ids[0]
        if commit:
            obj.save()
            self.save_m2m()
        return obj


class _FileChecked:
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            return checked_attachment(upload)  # the same size and type rules
        return upload


class TargetForm(_UnitsOfJurisdiction, BootstrapMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For clues not yet concluded: none chosen means every category."),
    )

    class Meta:
        model = Target
        fields = ["name", "measure", "days", "categories", "goal", "start", "deadline", "units"]
        widgets = {"start": DATE, "deadline": DATE, "units": forms.CheckboxSelectMultiple}
        help_texts = {
            "goal": _(
                "A count to bring the measure down to (0: clear to zero), or for a rate "
                "the percentage to reach."
            ),
            "start": _(
                "The path is drawn from the records from this day on; it may lie in the past."
            ),
        }


class DriveForm(_UnitsOfJurisdiction, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Drive
        fields = ["name", "theme", "start", "end", "units"]
        widgets = {
            "start": DATE,
            "end": DATE,
            "units": forms.CheckboxSelectMultiple,
            "theme": forms.Textarea(attrs={"rows": 3}),
        }


class TagForm(BootstrapMixin, forms.Form):
    """Tag clues and cases to a drive by their numbers (XS2019-0057, AJ2018-0003)."""

    numbers = forms.CharField(
        label=_("Clue or case numbers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more numbers separated by spaces, commas or new lines."),
    )

    def numbers_list(self) -> list[str]:
        import re

        return [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["numbers"]) if n]


class RegulationForm(_FileChecked, _UnitsOfJurisdiction, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Regulation
        fields = ["title", "kind", "unit", "issued_on", "state", "replaced_by", "file"]
        widgets = {"issued_on": DATE}


class MeetingForm(_FileChecked, _UnitsOfJurisdiction, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "unit", "attendees", "topics", "minutes", "file"]
        widgets = {
            "held_on": DATE,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }
