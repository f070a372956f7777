"""Normalisers for exact look-up through blind indexes: one form per kind of value."""

import re
import unicodedata


def normalize_phone(value: str) -> str:
    """Digits only, full-width folded, +86/0086 country code dropped: 139-0000-0000 ->
    13900000000."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
    return digits
