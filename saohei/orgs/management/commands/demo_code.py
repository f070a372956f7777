"""The current six-digit code of the demo accounts' published TOTP key (make demo only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from saohei.orgs.demo import demo_totp_key


def current_code(at: float | None = None) -> str:
    totp = TOTP(bytes.fromhex(demo_totp_key()))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (not in production)."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                _("demo_code is for the demo only; it refuses to run in production.")
            )
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(current_code())
        self.stderr.write(
            _("Valid for about %(seconds)s more seconds, for the demo accounts marked ⚿.")
            % {"seconds": remaining}
        )
