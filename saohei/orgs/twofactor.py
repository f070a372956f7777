"""Two-factor login (双因素认证, 等保三级 for administrators; OWASP ASVS L2 §2.7–2.8).

A TOTP authenticator app (django-otp's TOTPDevice) is the second factor; ten one-time
recovery codes (django-otp's StaticDevice) stand in when the phone is lost. The roles in
`REQUIRED_ROLES` must use it; anyone else may turn it on from their account page and is then
asked for it too. Until the session is verified, `TwoFactorMiddleware` lets through only the
verify, enrol and logout pages.

Recovery codes are never stored: each StaticToken holds an HMAC of its code under a key derived
from the data key (SAOHEI_DATA_KEY), 16 hex characters. The TOTP secret is stored as django-otp
keeps it (hex in `otp_totp_totpdevice.key`): the library reads it on every verification, so it
is protected by the database's own access control and the backup's encryption, not by a
field-level cipher.

Every enrolment, wrong code, recovery-code use, renewal and reset goes to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core.crypto import keys
from saohei.core.policy import cool_off

from .choices import Role

REQUIRED_ROLES = frozenset(
    {
        Role.OFFICE_ADMIN,
        Role.SYSADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
        Role.CLUE_CUSTODIAN,
    }
)
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# Session key: this login began with a device on the account (so the user must verify even if
# no role requires it).
HAS_DEVICE_SESSION_KEY = "saohei_otp_has_device"
# Session key: signed in through OIDC with a multi-factor method the settings trust.
IDP_MFA_SESSION_KEY = "saohei_idp_mfa"

_TOTP_RE = re.compile(r"^\d{6}$")


def requires_two_factor(user) -> bool:
    """Whether the user's roles make two-factor login compulsory."""
    return bool(user.is_authenticated and user.roles & REQUIRED_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def must_verify(request) -> bool:
    """Whether this logged-in session still owes its second factor."""
    user = request.user
    if not user.is_authenticated or request.session.get(IDP_MFA_SESSION_KEY):
        return False
    if requires_two_factor(user):
        return not user.is_verified()
    if not request.session.get(HAS_DEVICE_SESSION_KEY) or user.is_verified():
        return False
    if not has_device(user):
        # Optional, and the device was reset meanwhile: nothing is owed any more.
        request.session.pop(HAS_DEVICE_SESSION_KEY, None)
        return False
    return True


def remember_login_signal(sender, request, user, **kwargs) -> None:
    """At login: note whether the account has a device (one query now, none per request)."""
    if request is None or not hasattr(request, "session"):
        return
    if getattr(user, "backend", "") != "saohei.orgs.oidc.SaoheiOIDCBackend":
        request.session.pop(IDP_MFA_SESSION_KEY, None)
    if has_device(user):
        request.session[HAS_DEVICE_SESSION_KEY] = True
    else:
        request.session.pop(HAS_DEVICE_SESSION_KEY, None)


# Recovery codes ------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return re.sub(r"[\s\-]", "", code or "").lower()


def _recovery_digests(code: str) -> list[str]:
    """What a StaticToken holds for `code`, under each data key (the first for new codes)."""
    code = normalise_code(code)
    return [
        hmac.new(key.derive("otp-recovery-code"), code.encode(), hashlib.sha256).hexdigest()[:16]
        for key in keys()
    ]


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; the old ones stop working. The
    codes are returned once, to show; only their HMACs are kept."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_recovery_digests(code)[0]) for code in codes
        )
    return [format_code(c) for c in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enrolment -----------------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed: base32 in groups of four."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here; no script, no CDN)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


@dataclass
class Outcome:
    ok: bool
    device: object | None = None
    throttled_until: object | None = None
    recovery: bool = False


def _verify(user, code: str) -> Outcome:
    code = normalise_code(code)
    if _TOTP_RE.match(code):
        device = confirmed_device(user)
        if device is None:
            return Outcome(False)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            return Outcome(False, device, throttled_until=(data or {}).get("locked_until"))
        return Outcome(bool(otp_verify_token(user, device.persistent_id, code)), device)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return Outcome(False, recovery=True)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        return Outcome(False, device, (data or {}).get("locked_until"), recovery=True)
    digests = _recovery_digests(code) if code else ["-"]
    stored = (
        device.token_set.filter(token__in=digests).values_list("token", flat=True).first()
        or digests[0]
    )
    # verify_token consumes the matching token, or counts a failure for throttling.
    return Outcome(bool(otp_verify_token(user, device.persistent_id, stored)), device, None, True)


def check_code(user, code: str) -> Outcome:
    """Verify a six-digit code or a recovery code for `user`; audit failures and uses."""
    outcome = _verify(user, code)
    if outcome.ok and outcome.recovery:
        record(
            Action.OTP_RECOVERY_USED,
            user,
            user=user,
            changes={"codes_left": recovery_codes_left(user)},
        )
    elif not outcome.ok:
        record(
            Action.OTP_FAILED,
            user,
            user=user,
            changes={
                "kind": "recovery" if outcome.recovery else "totp",
                "throttled": outcome.throttled_until is not None,
            },
        )
    return outcome


def confirm_enrolment(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app: the device replaces any other,
    the session counts as verified, and ten recovery codes are returned (to show once)."""
    user = request.user
    with transaction.atomic():
        if not otp_verify_token(user, device.persistent_id, normalise_code(code)):
            record(Action.OTP_FAILED, user, user=user, changes={"kind": "enrolment"})
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        record(Action.OTP_ENROLLED, user, user=user, changes={"recovery_codes": len(codes)})
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    return codes


def mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True


def renew_recovery_codes(user) -> list[str]:
    with transaction.atomic():
        codes = new_recovery_codes(user)
        record(Action.OTP_CODES_RENEWED, user, user=user, changes={"recovery_codes": len(codes)})
    return codes


def reset_devices(user, by) -> int:
    """The security administrator removes a user's authenticator and recovery codes (lost
    phone): the user enrols again at next login; sessions verified with the old device lapse."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        record(
            Action.OTP_RESET,
            user,
            user=by,
            changes={"username": user.get_username(), "devices_removed": removed},
        )
    return removed


def locked_by_wrong_codes(user) -> bool:
    """Consecutive wrong codes reached the policy's failure limit within the cool-off period
    (the count survives new password logins; only a right code or an unlock clears it)."""
    from saohei.core.models import SecurityPolicy

    limit = SecurityPolicy.current().failure_limit
    since = timezone.now() - cool_off()
    for model in (TOTPDevice, StaticDevice):
        if model.objects.filter(
            user=user,
            throttling_failure_count__gte=limit,
            throttling_failure_timestamp__gte=since,
        ).exists():
            return True
    return False


def clear_throttling(username: str) -> None:
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user__username=username).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )


def accounts_without_two_factor():
    """Active accounts of a role that requires two-factor login, without a device yet."""
    from django.db.models import Q

    from .models import User

    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=REQUIRED_ROLES) | Q(is_superuser=True))
        .exclude(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id"))
        .distinct()
        .order_by("username")
    )
