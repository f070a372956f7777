"""Password rules from the security policy (等保: length and character classes)."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SecurityPolicy


class PolicyLengthValidator:
    def validate(self, password, user=None):
        minimum = SecurityPolicy.current().password_min_length
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "The password must have at least %(n)d character.",
                    "The password must have at least %(n)d characters.",
                    minimum,
                )
                % {"n": minimum},
                code="password_too_short",
            )

    def get_help_text(self):
        minimum = SecurityPolicy.current().password_min_length
        return _("At least %(n)d characters.") % {"n": minimum}


def character_classes(password: str) -> int:
    groups = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(c in string.punctuation or not c.isalnum() for c in password),
    )
    return sum(groups)


class CharacterClassValidator:
    def validate(self, password, user=None):
        required = SecurityPolicy.current().password_classes
        if character_classes(password) < required:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                )
                % {"n": required},
                code="password_too_simple",
            )

    def get_help_text(self):
        required = SecurityPolicy.current().password_classes
        return _("At least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "n": required
        }
