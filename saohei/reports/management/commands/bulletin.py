"""`manage.py bulletin --start YYYY-MM-DD --end YYYY-MM-DD --out FILE.docx [--jurisdiction
CODE]`: the bulletin (通报) of a period — a week, a month, any run of days — ranking the units
by conclusion rate, substantiation rate and overdue clues, compared with the previous period
of the same length (docs/briefing.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.reports.bulletin import LONGEST_PERIOD, bulletin_document
from saohei.reports.documents import DocumentError
from saohei.reports.figures import Scope

from .briefing import jurisdiction_scope, write_out
from .stats import parse_day


class Command(BaseCommand):
    help = "Write the bulletin of a period as .docx (docs/briefing.md)."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument(
            "--jurisdiction", help="6-digit division code (default: every jurisdiction)"
        )

    def handle(self, *args, start, end, out, jurisdiction=None, **options):
        first, last = parse_day(start, "--start"), parse_day(end, "--end")
        if first > last:
            raise CommandError(_("--start is after --end."))
        if last > timezone.localdate():
            raise CommandError(
                _("--end %(day)s has not come yet: a bulletin reports days that have ended.")
                % {"day": last.isoformat()}
            )
        if (last - first).days + 1 > LONGEST_PERIOD:
            raise CommandError(
                _("The period is longer than %(days)s days: make one bulletin per year at most.")
                % {"days": LONGEST_PERIOD}
            )
        place, ids = jurisdiction_scope(jurisdiction)
        try:
            write_out(
                out,
                lambda fh: bulletin_document(
                    first, last, Scope.everything(ids), fh, jurisdiction=place
                ),
            )
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Wrote the bulletin of %(start)s to %(end)s to %(out)s.")
            % {"start": first, "end": last, "out": out}
        )
