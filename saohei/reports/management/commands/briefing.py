"""`manage.py briefing --as-of YYYY-MM-DD --out FILE.docx [--jurisdiction CODE]`: the briefing
(汇报材料) as of the end of a day, in the official document format (docs/briefing.md). Nothing
is written, and the exit code is non-zero, when the date is bad or the document is not fit
to give out (a placeholder left, a wording-check finding)."""

import io

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.orgs.models import Jurisdiction
from saohei.reports.briefing import briefing_document
from saohei.reports.documents import DocumentError
from saohei.reports.figures import Scope

from .stats import parse_day


def jurisdiction_scope(code: str | None):
    """The jurisdiction of a --jurisdiction code and its ids with those below it; (None, None)
    for every jurisdiction."""
    if not code:
        return None, None
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None:
        raise CommandError(_("No jurisdiction with code %(code)s.") % {"code": code})
    return place, place.with_descendants()


def write_out(path: str, write) -> None:
    """Make the document in memory, then write the file: a refused document leaves no file."""
    if not path.lower().endswith(".docx"):
        raise CommandError(
            _("--out names a .docx file, e.g. briefing.docx; got “%(path)s”.") % {"path": path}
        )
    buffer = io.BytesIO()
    write(buffer)
    try:
        with open(path, "wb") as fh:
            fh.write(buffer.getvalue())
    except OSError as exc:
        raise CommandError(
            _("Cannot write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc


class Command(BaseCommand):
    help = "Write the briefing report as of a day as .docx (docs/briefing.md)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument(
            "--jurisdiction", help="6-digit division code (default: every jurisdiction)"
        )

    def handle(self, *args, as_of, out, jurisdiction=None, **options):
        day = parse_day(as_of, "--as-of")
        if day > timezone.localdate():
            raise CommandError(
                _("--as-of %(day)s has not come yet: a briefing reports a day that has ended.")
                % {"day": day.isoformat()}
            )
        place, ids = jurisdiction_scope(jurisdiction)
        try:
            write_out(
                out,
                lambda fh: briefing_document(day, Scope.everything(ids), fh, jurisdiction=place),
            )
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Wrote the briefing as of %(day)s to %(out)s.") % {"day": day, "out": out}
        )
