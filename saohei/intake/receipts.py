"""Receipt codes (受理回执码): 16 digits, shown to the reporter once and never stored.

The report keeps two things derived from the code:
- `lookup`: an HMAC of the code under a key derived from the data key, so that the report is
  found by one indexed query (no scan of every report's slow hash);
- `code_hash`: a slow, salted hash from the project's password hasher (Argon2 in
  production), checked after the look-up, so a copy of the database alone does not give the
  codes back.
A code that matches nothing costs the same slow hash as one that matches, so the time taken
does not tell whether a code exists.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from django.contrib.auth.hashers import check_password, make_password

from saohei.core.crypto import keys as data_keys

CODE_DIGITS = 16
_PURPOSE = "intake-receipt-lookup"


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def display(code: str) -> str:
    """1234 5678 9012 3456: easier to copy down by hand."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(raw: str) -> str | None:
    """The 16 digits of what the reporter typed (spaces, dashes, full-width digits allowed),
    or None when it cannot be a code."""
    digits = re.sub(r"[\s\-－—·.]", "", unicodedata.normalize("NFKC", raw or ""))
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def lookup_keys(code: str) -> list[str]:
    """The look-up key under each data key (the first one for new reports; the others keep
    reports made before a key rotation reachable)."""
    return [
        hmac.new(key.derive(_PURPOSE), code.encode(), hashlib.sha256).hexdigest()
        for key in data_keys()
    ]


def protect(code: str) -> tuple[str, str]:
    """(lookup, code_hash) to store for a new code."""
    return lookup_keys(code)[0], make_password(code)


def find(raw: str):
    """The report whose receipt code this is, or None; the same work either way."""
    from .models import Report

    code = normalize(raw)
    report = None
    if code is not None:
        report = Report.objects.filter(lookup__in=lookup_keys(code)).first()
    if report is None:
        make_password(raw or "-")  # as slow as a real check
        return None
    return report if check_password(code, report.code_hash) else None


def matches(report, raw: str) -> bool:
    """For the office: does the code a person shows belong to this report?"""
    code = normalize(raw)
    if code is None:
        make_password(raw or "-")
        return False
    return check_password(code, report.code_hash)
