from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import DateInput
from saohei.clues.models import Clue
from saohei.core.forms import BootstrapMixin
from saohei.orgs.models import Unit

from .actions import OPENERS
from .choices import CaseKind, CheckStatus, ClosingReason, DisposalWay
from .models import Asset, Case, Charge, Official, Suspect

DETAIL_FIELDS = [
    "summary",
    "is_typical",
    "typical_summary",
    "is_oil",
    "crude_oil_tonnes",
    "oil_sites",
]


class CaseForm(BootstrapMixin, forms.ModelForm):
    """Opening a case (立案): from clues the unit holds, or directly."""

    clues = forms.ModelMultipleChoiceField(
        label=_("Opened from clues"),
        queryset=Clue.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The clues of your unit that this case grew from; none if opened directly."),
    )

    class Meta:
        model = Case
        fields = ["name", "kind", "opened_on", "charges", "protects", *DETAIL_FIELDS]
        widgets = {
            "opened_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "typical_summary": forms.Textarea(attrs={"rows": 3}),
            "charges": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = OPENERS.get(getattr(user.unit, "kind", None), ())
        self.fields["kind"].choices = [(k, v) for k, v in CaseKind.choices if k in kinds]
        self.fields["charges"].queryset = Charge.objects.filter(is_active=True)
        self.fields["opened_on"].initial = timezone.localdate
        self.fields["clues"].queryset = (
            Clue.objects.visible_to(user)
            .filter(assigned_unit_id=user.unit_id)
            .exclude(status="merged")
            .order_by("-received_on")
        )
        self.fields["protects"].queryset = Case.objects.visible_to(user).filter(
            kind__in=["gang_org", "evil_group", "evil_gang", "ordinary"]
        )
        self.fields["name"].help_text = _("e.g. 张某某等9人寻衅滋事案")


class CaseDetailsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["charges", *DETAIL_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "typical_summary": forms.Textarea(attrs={"rows": 3}),
            "charges": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charges"].queryset = Charge.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("is_typical") and not (data.get("typical_summary") or "").strip():
            self.add_error("typical_summary", _("Write the summary to publish for a typical case."))
        return data


class SuspectForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Suspect
        fields = ["name", "id_number", "role", "outcome", "sentence", "is_public_official"]
        widgets = {"id_number": forms.TextInput}

    def clean_id_number(self):
        from stdnum.cn import ric
        from stdnum.exceptions import ValidationError as StdnumError

        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value:
            try:
                value = ric.validate(value)
            except StdnumError as exc:
                raise forms.ValidationError(
                    _("%(value)s is not a valid resident ID number: check the digits.")
                    % {"value": value}
                ) from exc
        return value


class SuspectOutcomeForm(BootstrapMixin, forms.ModelForm):
    """The court or the procuratorate records what became of a suspect."""

    class Meta:
        model = Suspect
        fields = ["outcome", "sentence"]


class OfficialOutcomeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Official
        fields = ["outcome", "outcome_on"]
        widgets = {"outcome_on": DateInput}


class AssetForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "measure", "description", "count", "amount", "on"]
        widgets = {"on": DateInput}


class OfficialForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Official
        fields = [
            "name",
            "employer",
            "position",
            "rank",
            "is_public_official",
            "outcome",
            "outcome_on",
            "note",
        ]
        widgets = {"outcome_on": DateInput}


class StageForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit taking over"), queryset=Unit.objects.none(), required=False
    )
    closing_reason = forms.ChoiceField(
        label=_("How the case ended"), choices=[("", "—"), *ClosingReason.choices], required=False
    )
    reason = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user)
        self.fields["unit"].queryset = units.filter(kind=kind) if kind else units.none()


class CheckForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckStatus.choices)
    result = forms.CharField(
        label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    discipline_case = forms.ModelChoiceField(
        label=_("Discipline case it produced"), queryset=Case.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline_case"].queryset = Case.objects.visible_to(user).filter(
            kind=CaseKind.UMBRELLA
        )


class ReassignCheckForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)


class DisposalForm(BootstrapMixin, forms.Form):
    clue = forms.ModelChoiceField(label=_("Clue"), queryset=Clue.objects.none())
    way = forms.ChoiceField(label=_("Way of disposal"), choices=DisposalWay.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, clues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clue"].queryset = clues


class SignOffForm(BootstrapMixin, forms.Form):
    approve = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), required=False)


class DisposalResultForm(BootstrapMixin, forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))
    case = forms.ModelChoiceField(
        label=_("Case opened"), queryset=Case.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.visible_to(user).filter(kind=CaseKind.UMBRELLA)


class CaseLedgerUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Case ledger (.xlsx)"))

    def clean_file(self):
        from saohei.clues.forms import LedgerUploadForm

        checker = LedgerUploadForm(files={"file": self.cleaned_data["file"]})
        if not checker.is_valid():
            raise forms.ValidationError(checker.errors["file"])
        return self.cleaned_data["file"]
