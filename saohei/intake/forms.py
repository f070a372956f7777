"""The portal's forms: the four-part report, the receipt code, the reporter's follow-up and
the office's message. Every error says in Chinese what to fix."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from saohei.clues.choices import Category
from saohei.core.forms import BootstrapMixin
from saohei.core.normalize import normalize_id_number, normalize_phone

from . import files as portal_files
from .choices import Behaviour, Umbrella, When
from .models import MessageKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class FilesMixin:
    """Checks and cleans the attached files (type, size, metadata) in the form, so that a
    refused file leaves the whole submission unsaved with the reason shown."""

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > portal_files.MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)s files.") % {"n": portal_files.MAX_FILES}
            )
        cleaned, errors = [], []
        for index, upload in enumerate(uploads, start=1):
            try:
                cleaned.append(portal_files.clean(upload, index))
            except portal_files.FileRefused as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _files_field():
    return MultipleFileField(
        label=_("Files (photos, documents)"),
        required=False,
        help_text=_(
            "Up to 5 files, each at most 10 MB: JPG, PNG, PDF, Word (.docx), Excel (.xlsx), "
            "TXT. Location and author information inside photos and documents is removed "
            "before they are stored."
        ),
    )


class ReportForm(FilesMixin, BootstrapMixin, forms.Form):
    # Part 1: the reporter (optional).
    anonymous = forms.TypedChoiceField(
        label=_("How do you report?"),
        choices=[("1", _("anonymously")), ("0", _("with my name"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)
    id_number = forms.CharField(label=_("Your ID number (optional)"), max_length=30, required=False)
    # Part 2: whom the report is about.
    subjects = forms.CharField(
        label=_("Persons or organizations reported"),
        max_length=500,
        help_text=_("Names, nicknames or company names; separate several with 、"),
    )
    subject_details = forms.CharField(
        label=_("What you know about them (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Age, address, vehicles, phone numbers, who leads them"),
    )
    # Part 3: what happened.
    category = forms.ChoiceField(
        label=_("What kind of problem"),
        choices=Category.choices,
        widget=forms.RadioSelect,
    )
    behaviours = forms.MultipleChoiceField(
        label=_("What did they do (choose all that apply)"),
        choices=Behaviour.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    place_area = forms.ChoiceField(label=_("Where"), required=False)
    place_detail = forms.CharField(
        label=_("Place in more detail (optional)"), max_length=150, required=False
    )
    when = forms.ChoiceField(label=_("When"), choices=When.choices, initial=When.ONGOING)
    when_detail = forms.CharField(
        label=_("Date or period (optional)"), max_length=100, required=False
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who did what to whom, how often, who was hurt; what you saw yourself"),
    )
    # Part 4: the official believed to protect them.
    umbrella = forms.ChoiceField(
        label=_("Does an official protect them (保护伞)?"),
        choices=Umbrella.choices,
        initial=Umbrella.NO,
        widget=forms.RadioSelect,
    )
    umbrella_who = forms.CharField(
        label=_("Which official (name, unit, position)"), max_length=300, required=False
    )
    umbrella_what = forms.CharField(
        label=_("How do they protect them"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = _files_field()
    # The offline challenge (saohei.intake.challenge) and the honeypot.
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(label=_("Check question"), max_length=10, required=False)
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_area"].choices = [
            ("", _("not sure / elsewhere")),
            *places,
        ]
        for field in self.fields.values():
            if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                field.widget.attrs["class"] = "form-check-input"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["answer"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not 7 <= len(normalize_phone(phone)) <= 15:
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        if value and not ric.is_valid(value):
            raise forms.ValidationError(
                _("This is not a valid 18-digit resident ID number; check it or leave it empty.")
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("anonymous") is False and not (data.get("name") or "").strip():
            self.add_error("name", _("Give your name, or choose to report anonymously."))
        if data.get("anonymous") is False and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Give a phone number, or choose to report anonymously."))
        if data.get("umbrella") == Umbrella.YES and not (data.get("umbrella_who") or "").strip():
            self.add_error("umbrella_who", _("Say which official protects them, or choose “no”."))
        return data


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReporterMessageForm(FilesMixin, BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    question = forms.IntegerField(widget=forms.HiddenInput, required=False)
    files = _files_field()


class OfficeMessageForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (MessageKind.QUESTION, _("ask the reporter a question")),
            (MessageKind.REPLY, _("message to the reporter")),
        ],
    )
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyCodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Receipt code shown by the person"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": _("16-digit receipt code"), "autocomplete": "off"}
        ),
    )


def safe_lines(text: str) -> str:
    """Collapse runs of blank lines a pasted text may carry."""
    return re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()
