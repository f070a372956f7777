from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import DateInput, checked_attachment
from saohei.core.forms import BootstrapMixin
from saohei.core.workdays import add_workdays
from saohei.orgs.models import Unit

from .choices import InspectionKind
from .models import Inspection, ProblemCategory


def _units(user):
    return (
        Unit.objects.visible_to(user).filter(is_active=True).order_by("kind", "sort_order", "name")
    )


class InspectionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    inspecting_body = forms.CharField(
        label=_("Inspecting body"),
        max_length=100,
        help_text=_("For example the city's third supervision team."),
    )
    date = forms.DateField(label=_("Date of feedback"), widget=DateInput)
    follows = forms.ModelChoiceField(
        label=_("Reviews the inspection"),
        queryset=Inspection.objects.none(),
        required=False,
        help_text=_("For a follow-up review: the inspection it looks at again."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follows"].queryset = Inspection.objects.visible_to(user)


class ProblemForm(BootstrapMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Problem category"), queryset=ProblemCategory.objects.filter(is_active=True)
    )
    text = forms.CharField(
        label=_("Problem"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As the inspection fed it back."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units concerned"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units(user)
        self.fields["units"].widget.attrs["size"] = 6


class TaskForm(BootstrapMixin, forms.Form):
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none()
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"),
        max_length=50,
        help_text=_("The leader who answers for the task (责任人)."),
    )
    set_on = forms.DateField(
        label=_("Set on"),
        widget=DateInput,
        required=False,
        help_text=_("The day the rectification plan set the task; empty for today."),
    )
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DateInput, required=False)
    workdays = forms.IntegerField(
        label=_("or working days from the day it is set"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Counted on the statutory calendar, holidays left out."),
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, for example: 6月15日前制定方案."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _units(user)

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and data.get("workdays"):
            start = data.get("set_on") or timezone.localdate()
            data["deadline"] = add_workdays(start, data["workdays"])
        if not data.get("deadline") and not self.errors:
            raise forms.ValidationError(_("Set a deadline: a date or a number of working days."))
        return data


class TaskEditForm(BootstrapMixin, forms.Form):
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none()
    )
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50)
    milestones = forms.CharField(
        label=_("Milestones"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _units(user)


class ProgressForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    file = forms.FileField(label=_("Evidence file"), required=False)
    done = forms.BooleanField(label=_("The task is done: ask for the sign-off"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return checked_attachment(upload) if upload else upload


class SignOffForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Sign-off note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("What was checked and found."),
    )
    evidence_checked = forms.BooleanField(label=_("I have checked the evidence"), required=False)


class SendBackForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is still missing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the follow-up review found"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)
    review = forms.ModelChoiceField(
        label=_("Follow-up review"), queryset=Inspection.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Inspection.objects.visible_to(user).filter(
            kind=InspectionKind.FOLLOW_UP
        )


class DeadlineForm(BootstrapMixin, forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Why the deadline changes"), max_length=500, required=False)


class CategoryForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ProblemCategory
        fields = ["name", "sort_order", "is_active"]


class TaskLedgerForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Task list (.xlsx)"))
