from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.core.forms import BootstrapMixin
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit

from .choices import Finding, NoticeLevel
from .models import REGISTRATION_FIELDS, Clue, DeadlineRule, Industry


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ClueForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Clue
        fields = REGISTRATION_FIELDS
        widgets = {
            "received_on": DateInput,
            "full_text": forms.Textarea(attrs={"rows": 6}),
            "informant_name": forms.TextInput,
            "informant_phone": forms.TextInput,
            "informant_id_number": forms.TextInput,
        }

    attachment = forms.FileField(
        label=_("File"), required=False, help_text=_("The letter, a photo, a recording …")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)
        self.fields["received_on"].initial = timezone.localdate
        self.fields["subjects"].help_text = _("Separate several names with 、 or a comma.")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return day

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            checker = AttachmentForm(files={"file": upload})
            if not checker.is_valid():
                raise forms.ValidationError(checker.errors["file"])
        return upload

    def clean_informant_id_number(self):
        from stdnum.cn import ric
        from stdnum.exceptions import ValidationError as StdnumError

        value = self.cleaned_data["informant_id_number"].strip()
        if not value:
            return value
        try:
            return ric.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "Not a valid resident ID number: check the 18 digits and the last "
                    "character (0–9 or X)."
                )
            ) from None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("anonymous") and not (
            cleaned.get("informant_name") or cleaned.get("informant_phone")
        ):
            self.add_error(
                "informant_name",
                _(
                    "A named report needs the informant's name or phone; tick “anonymous” "
                    "otherwise."
                ),
            )
        return cleaned


class AssignForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the default limit in working days."),
    )
    reason = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, clue, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).exclude(kind=UnitKind.OFFICE)
        if clue.is_umbrella:
            units = units.filter(kind=UnitKind.DISCIPLINE)
        self.fields["unit"].queryset = units


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class InterimForm(BootstrapMixin, forms.Form):
    result = forms.CharField(
        label=_("Findings at this stage"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConclusionForm(BootstrapMixin, forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    led_to_case = forms.BooleanField(label=_("Led to a case"), required=False)
    case_number = forms.CharField(label=_("Case number"), required=False)


class ParkForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label=_("Review date"), widget=DateInput)


class MergeForm(BootstrapMixin, forms.Form):
    into = forms.CharField(label=_("Merge into clue number"), max_length=20)
    reason = forms.CharField(label=_("Reason"), required=False)


class VerificationForm(BootstrapMixin, forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    work = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# The form each step asks for.
STEP_FORMS = {
    "assign": AssignForm,
    "accept": ReasonForm,
    "return": RequiredReasonForm,
    "interim": InterimForm,
    "resume": ReasonForm,
    "request_conclusion": ConclusionForm,
    "approve": ReasonForm,
    "reject": RequiredReasonForm,
    "park": ParkForm,
    "unpark": ReasonForm,
    "merge": MergeForm,
}


class ContactForm(BootstrapMixin, forms.Form):
    on = forms.DateField(
        label=_("Informant told the result on"), widget=DateInput, initial=timezone.localdate
    )

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ExtensionForm(BootstrapMixin, forms.Form):
    workdays = forms.IntegerField(
        label=_("Extra working days"),
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"placeholder": _("Extra working days")}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Why more time is needed")}),
    )


class DecisionForm(BootstrapMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", ""), ("0", "")], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), required=False)


class NoticeForm(BootstrapMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=NoticeLevel.choices)
    text = forms.CharField(label=_("Notice"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeAnswerForm(BootstrapMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RewardForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=1, max_digits=10, decimal_places=2
    )
    basis = forms.CharField(label=_("Basis"), widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(BootstrapMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label=_("Payment voucher"))


class DeadlineRuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["workdays", "contact_days"]


class IndustryForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Industry
        fields = ["name", "sort_order", "is_active"]


DeadlineRuleFormSet = forms.modelformset_factory(DeadlineRule, form=DeadlineRuleForm, extra=0)
IndustryFormSet = forms.modelformset_factory(Industry, form=IndustryForm, extra=1)


def checked_attachment(upload):
    """The size and type rules of every attached file (clues, rectification evidence, the
    register of rules and meetings): the upload, or a ValidationError saying what to do."""
    from django.conf import settings

    limit = settings.SAOHEI_MAX_ATTACHMENT_MB
    if upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _("%(name)s is %(size).1f MB; files up to %(limit)s MB are accepted.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in settings.SAOHEI_ATTACHMENT_TYPES:
        raise forms.ValidationError(
            _("%(name)s: this kind of file is not accepted. Accepted: %(types)s.")
            % {"name": upload.name, "types": "、".join(settings.SAOHEI_ATTACHMENT_TYPES)}
        )
    return upload


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        return checked_attachment(self.cleaned_data["file"])


class LedgerUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Clue ledger (.xlsx)"))

    def clean_file(self):
        from .ledger import MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size).1f MB; ledgers up to %(limit)d MB are accepted. Split "
                    "it into several files."
                )
                % {"size": upload.size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "%(name)s is not an .xlsx file: save the ledger from Excel as “Excel "
                    "workbook (*.xlsx)”."
                )
                % {"name": upload.name}
            )
        return upload
