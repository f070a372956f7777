from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.core.forms import BootstrapMixin
from saohei.core.normalize import normalize_phone

from .choices import MentionRole
from .lookup import id_indexes, looks_like_id
from .matching import fold_name, parse_id
from .models import PLATE_RE, Organization, Person, Phone, Vehicle, normalize_plate

ENTITY_KINDS = [
    ("person", _("person")),
    ("organization", _("organization")),
    ("vehicle", _("vehicle")),
    ("phone", _("phone")),
]


class PersonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "former_names",
            "nicknames",
            "id_number",
            "phones",
            "addresses",
            "employer",
            "position",
            "is_public_official",
        ]
        widgets = {"id_number": forms.TextInput, "addresses": forms.TextInput}

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip()
        if value:
            info = parse_id(value)
            if info is None or not info.valid:
                raise forms.ValidationError(
                    _(
                        "This is not a valid resident ID number: 18 characters (or an old "
                        "15-digit one) whose birth date and check character agree."
                    )
                )
            return info.id18
        return value


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


def resolve_person(user, text: str):
    """The one visible current person `text` names (ID number, or name when only one person
    bears it), or a ValidationError saying what to type instead."""
    qs = Person.objects.visible_to(user).current()
    text = (text or "").strip()
    found = (
        qs.filter(id_index__in=id_indexes(text))
        if looks_like_id(text)
        else qs.filter(name_key=fold_name(text))
    )
    found = list(found[:2])
    if not found:
        raise forms.ValidationError(
            _("No person is held under “%(text)s”: enter the person first."),
            params={"text": text},
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Several persons are called “%(text)s”: give the ID number."),
            params={"text": text},
        )
    return found[0]


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    representative = forms.CharField(
        label=_("Legal representative"),
        required=False,
        help_text=_("Name or ID number of a person already entered."),
    )

    class Meta:
        model = Organization
        fields = ["name", "credit_code", "kind", "address"]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_credit_code(self):
        from stdnum.cn import uscc
        from stdnum.exceptions import ValidationError as StdnumError

        value = self.cleaned_data.get("credit_code", "").strip().upper()
        if not value:
            return value
        try:
            return uscc.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "This is not a valid unified social credit code: 18 characters, the last "
                    "a check character; copy it from the business licence."
                )
            ) from None

    def clean_representative(self):
        text = self.cleaned_data.get("representative", "")
        return resolve_person(self.user, text) if text.strip() else None

    def save(self, commit=True):
        self.instance.legal_representative = self.cleaned_data.get("representative")
        return super().save(commit)


class VehicleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "description"]

    def clean_plate(self):
        plate = normalize_plate(self.cleaned_data.get("plate", ""))
        if not PLATE_RE.match(plate.replace("·", "")):
            raise forms.ValidationError(_("Write a plate number such as 黑E·12345."))
        return plate


class PhoneForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Phone
        fields = ["number"]

    def clean_number(self):
        number = normalize_phone(self.cleaned_data.get("number", ""))
        if not 5 <= len(number) <= 15:
            raise forms.ValidationError(_("Write a phone number such as 13912345678."))
        return number


class MentionSearchForm(BootstrapMixin, forms.Form):
    """The small form on a clue or case page: what to look for."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ENTITY_KINDS)
    q = forms.CharField(label=_("Name, ID number, plate or phone"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=MentionRole.choices)


class MentionForm(forms.Form):
    """Adding a mention: the entity picked among the search results."""

    kind = forms.ChoiceField(choices=ENTITY_KINDS)
    entity = forms.IntegerField()
    role = forms.ChoiceField(choices=MentionRole.choices)
    note = forms.CharField(max_length=200, required=False)
    clue = forms.CharField(max_length=30, required=False)
    case = forms.CharField(max_length=30, required=False)


def role_choices(user):
    """Naming an informant is for the clue custodian only (DESIGN §4)."""
    if user.has_perm("clues.reveal_informant"):
        return MentionRole.choices
    return [(v, label) for v, label in MentionRole.choices if v != MentionRole.INFORMANT]
