"""`manage.py vet FILE.xlsx --out RESULT.xlsx`: screen a candidate list (DESIGN §5).

The result is the list as it came with two more columns, 审查结论 (确认/疑似/无) and 理由. The
batch is kept, as when the list is uploaded, so reviewers can decide on it in the browser.
"""

import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.clues.management.commands.import_ledger import Command as ImportCommand
from saohei.core.context import acting_as
from saohei.vetting.reports import write_result
from saohei.vetting.screening import screen_list


class Command(BaseCommand):
    help = "Screen a candidate list (.xlsx) against records, cases and clues."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the candidate list (.xlsx)")
        parser.add_argument("--out", required=True, help="where to write the result (.xlsx)")
        parser.add_argument("--title", default="", help="the batch's title")
        parser.add_argument("--user", help="screen as this user (default: the office head)")

    def handle(self, *args, file, out, title="", user=None, **options):
        screener = ImportCommand()._user(user)
        interactive = sys.stderr.isatty()

        def progress(done, total):
            if interactive:
                self.stderr.write(f"\r{_('Screening…')} {done}/{total}", ending="")

        try:
            with acting_as(screener, name=screener.get_username()):
                batch, read = screen_list(file, screener, title=title, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if interactive:
                self.stderr.write("")
        if batch is None:
            for error in read.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was screened: %(n)s problems to fix in %(file)s.")
                % {"n": len(read.errors), "file": file}
            )
        with open(out, "wb") as fh:
            write_result(batch, fh)
        f = batch.figures()
        self.stdout.write(
            _(
                "Screened %(screened)s candidates: %(confirmed)s confirmed, %(possible)s "
                "possible, %(clean)s none; %(meets)s meet a vetting rule. Result: %(out)s"
            )
            % {
                "screened": f["screened"],
                "confirmed": f["confirmed"],
                "possible": f["possible"],
                "clean": f["clean"],
                "meets": f["meets_rule"],
                "out": out,
            }
        )
