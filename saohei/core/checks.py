"""System checks for dangerous configurations (run by `manage.py check` and at start-up)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import crypto


@register()
def saohei_settings(app_configs, **kwargs):
    problems = []
    try:
        crypto.parse_keys(settings.SAOHEI_DATA_KEY)
        crypto.current_cipher()
    except Exception as exc:  # ImproperlyConfigured, with the message that says what to fix
        problems.append(Error(str(exc), id="saohei.E001"))
    if settings.SAOHEI_AUDIT_HASH not in {"sha256", "sm3"}:
        problems.append(Error("SAOHEI_AUDIT_HASH must be sha256 or sm3.", id="saohei.E002"))
    if settings.PRODUCTION and not settings.HTTPS:
        problems.append(
            Warning(
                "SAOHEI_ENV=production without SAOHEI_HTTPS: session cookies travel in clear.",
                id="saohei.W001",
            )
        )
    return problems
