from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.clues.forms import LedgerUploadForm


class IndicatorLedgerUploadForm(LedgerUploadForm):
    """The same size and type checks as every ledger upload."""

    file = forms.FileField(label=_("Indicator ledger (.xlsx)"))
