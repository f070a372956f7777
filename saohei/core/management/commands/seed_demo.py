"""Realistic synthetic data for a district like the one in the campaign briefing.

Each app that has demo data adds its module to SEEDERS (in dependency order) with a
`seed(rng, scale)` function; all of it runs in one transaction and is idempotent.
"""

import random
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.core.context import acting_as

SEEDERS = [
    "saohei.orgs.demo",
    "saohei.clues.demo",
    "saohei.cases.demo",
    "saohei.reports.demo",
    "saohei.entities.demo",
    "saohei.oversight.demo",
    "saohei.rectification.demo",
    "saohei.intake.demo",
    "saohei.campaigns.demo",
]
UNITS_ONLY = {"saohei.orgs.demo"}


class Command(BaseCommand):
    help = "Load demo data: units, accounts for every role, and (later) clues and cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="multiply the amount of case data (default 1: a small district)",
        )
        parser.add_argument(
            "--units-only",
            action="store_true",
            help="only the units and the accounts, for a clean start",
        )
        parser.add_argument("--seed", type=int, default=2019, help="random seed")

    def handle(self, *args, scale, units_only, seed, **options):
        if scale < 1:
            raise CommandError(_("--scale must be a positive whole number."))
        rng = random.Random(seed)
        outcomes = {}
        with acting_as(name="seed_demo"), transaction.atomic():
            for module_name in SEEDERS:
                if units_only and module_name not in UNITS_ONLY:
                    continue
                self.stdout.write(f"… {module_name}")
                outcomes[module_name] = import_module(module_name).seed(rng, scale) or {}
        from saohei.orgs.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, account_table

        self.stdout.write(
            self.style.SUCCESS(
                _("Demo accounts (initial password %(password)s):") % {"password": DEMO_PASSWORD}
            )
        )
        for username, name, unit, roles in account_table():
            self.stdout.write(f"  {username:<20} {name:<6} {unit:<12} {roles}")
        self.stdout.write(
            _(
                "Accounts marked ⚿ use two-factor login: add the demo key %(key)s to an "
                "authenticator app (time-based, six digits), or run `python manage.py "
                "demo_code` for the current code."
            )
            % {"key": " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, 32, 4))}
        )
        candidates = outcomes.get("saohei.entities.demo", {}).get("candidate_list")
        if candidates:
            self.stdout.write(
                _("A candidate list to try vetting with (upload it under 资格审查): %(path)s")
                % {"path": candidates}
            )
