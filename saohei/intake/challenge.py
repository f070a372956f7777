"""An offline challenge against automated submissions, with no outside service.

The form carries a signed token: when it was issued, a nonce, and an HMAC of the answer to a
small sum asked in Chinese words (三加五等于几？). A submission is refused when the token is
forged or stale, when it comes back faster than a person could fill the form, when the sum
is wrong, when the token was already used, or when the hidden honeypot field is filled.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from . import throttle

NUMERALS = "零一二三四五六七八九十"
MAX_AGE = 4 * 3600
_SALT = "saohei.intake.challenge"


def min_fill_seconds() -> int:
    return getattr(settings, "SAOHEI_PORTAL_MIN_FILL_SECONDS", 5)


def _answer_mac(nonce: str, answer: int) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{nonce}|{answer}".encode(), hashlib.sha256).hexdigest()[:20]


def new(now: float | None = None) -> tuple[str, str]:
    """(token, question)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    issued = int(now if now is not None else time.time())
    token = signing.dumps({"t": issued, "n": nonce, "h": _answer_mac(nonce, a + b)}, salt=_SALT)
    question = _("What is %(a)s plus %(b)s?") % {"a": NUMERALS[a], "b": NUMERALS[b]}
    return token, question


def _number(raw: str) -> int | None:
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if text in NUMERALS:
        return NUMERALS.index(text)
    if len(text) == 2 and text[0] == "十" and text[1] in NUMERALS[1:10]:
        return 10 + NUMERALS.index(text[1])  # 十二
    return None


def check(
    token: str, answer: str, honeypot: str, now: float | None = None
) -> tuple[str | None, str] | None:
    """None when the submission passes, else (the field to mark or None, the message)."""
    now = now if now is not None else time.time()
    if honeypot:
        return None, _("The report could not be accepted. Please fill the form again.")
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return None, _("The form was open too long. Please check your entries and submit again.")
    except signing.BadSignature:
        return None, _("The report could not be accepted. Please fill the form again.")
    if now - data["t"] > MAX_AGE:
        return None, _("The form was open too long. Please check your entries and submit again.")
    if now - data["t"] < min_fill_seconds():
        return None, _("The form was sent too quickly. Please check your entries and submit again.")
    value = _number(answer)
    if value is None or not hmac.compare_digest(_answer_mac(data["n"], value), data["h"]):
        return "answer", _(
            "The answer to the check question is wrong. Please work out the sum again."
        )
    if not throttle.once("challenge", data["n"]):
        return None, _("This form was already sent. Please fill the form again.")
    return None
