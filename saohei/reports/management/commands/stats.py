"""`manage.py stats --as-of YYYY-MM-DD [--format json]`: the key figures (DESIGN §7,
docs/figures.md) as of the end of a day, from the records: the same for the same day
whenever it is run."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.orgs.models import Jurisdiction
from saohei.reports.figures import Scope, figures


def parse_day(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("%(option)s takes a date as YYYY-MM-DD, e.g. 2019-06-30; got “%(value)s”.")
            % {"option": option, "value": value}
        ) from exc


class Command(BaseCommand):
    help = "Print the key figures as of a day (JSON keys: docs/figures.md)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        parser.add_argument("--start", help="count flows from this day (YYYY-MM-DD)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--jurisdiction", help="6-digit division code (default: every jurisdiction)"
        )

    def handle(self, *args, as_of, start=None, format="text", jurisdiction=None, **options):
        day = parse_day(as_of, "--as-of")
        first = parse_day(start, "--start") if start else None
        if first and first > day:
            raise CommandError(_("--start is after --as-of."))
        ids = None
        if jurisdiction:
            place = Jurisdiction.objects.filter(code=jurisdiction).first()
            if place is None:
                raise CommandError(
                    _("No jurisdiction with code %(code)s.") % {"code": jurisdiction}
                )
            ids = place.with_descendants()
        result = figures(day, Scope.everything(ids), start=first)
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for key, value in result.items():
            if not isinstance(value, (list, dict)):
                self.stdout.write(f"{key}\t{'' if value is None else value}")
