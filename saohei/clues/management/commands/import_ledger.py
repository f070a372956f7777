"""`manage.py import_ledger KIND FILE.xlsx`: import a ledger (台账), all rows or none.

KIND is `clues` (the clue ledger, DESIGN §6, docs/ledger-format.md), `cases` (the case
ledger, docs/case-ledger.md), `records` (the records ledger, 前科劣迹, docs/records-ledger.md)
`indicators` (the monthly indicator ledger, docs/indicator-ledger.md), `tasks` (rectification
tasks, docs/rectification.md), `publicity` or `funds` (docs/oversight.md). Every problem is
printed, one per line, naming sheet, row and column, and the exit code is non-zero; nothing
is written.
"""

import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.core.context import acting_as
from saohei.orgs.choices import Role
from saohei.orgs.models import User

KINDS = ("clues", "cases", "records", "indicators", "tasks", "publicity", "funds")


def _importer(kind: str):
    """The import function of a ledger KIND, with the messages the command gives."""
    if kind == "cases":
        from saohei.cases.ledger import import_case_ledger

        return (
            import_case_ledger,
            _("%(user)s may not import the case ledger."),
            _("Imported %(created)s cases; %(skipped)s already held unchanged were skipped."),
        )
    if kind == "records":
        from saohei.entities.records_ledger import import_records_ledger

        return (
            import_records_ledger,
            _("%(user)s may not import the records ledger."),
            _(
                "Imported %(created)s records (%(persons)s new persons); %(skipped)s already "
                "held unchanged were skipped."
            ),
        )
    if kind == "indicators":
        from saohei.reports.indicators import import_indicator_ledger

        return (
            import_indicator_ledger,
            _("%(user)s may not import the indicator ledger."),
            _(
                "Imported %(created)s monthly values; %(replaced)s held with another value were "
                "replaced; %(skipped)s already held unchanged were skipped."
            ),
        )
    if kind == "tasks":
        from saohei.rectification.ledger import import_task_ledger

        return (
            import_task_ledger,
            _("%(user)s may not import rectification tasks."),
            _("Imported %(created)s tasks; %(skipped)s already held were skipped."),
        )
    if kind in ("publicity", "funds"):
        from saohei.oversight.ledger import import_fund_ledger, import_publicity_ledger

        return (
            import_publicity_ledger if kind == "publicity" else import_fund_ledger,
            _("%(user)s may not import this ledger."),
            _("Imported %(created)s rows; %(skipped)s already held were skipped."),
        )
    from saohei.clues.ledger import import_clue_ledger

    return (
        import_clue_ledger,
        _("%(user)s may not import the clue ledger."),
        _("Imported %(created)s clues; %(skipped)s already held unchanged were skipped."),
    )


class Command(BaseCommand):
    help = "Import a ledger from an .xlsx file: all rows or none; errors name row and column."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="which ledger: " + ", ".join(KINDS))
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument(
            "--user",
            help="import as this user (default: the first active office head)",
        )

    def handle(self, *args, kind, file, user=None, **options):
        if kind not in KINDS:
            raise CommandError(
                _("Importing “%(kind)s” ledgers is not supported yet; supported: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(KINDS)}
            )
        importer = self._user(user)
        import_ledger, refused, summary = _importer(kind)

        interactive = sys.stderr.isatty()

        def progress(done, total):
            if interactive:
                share = f"{done * 100 // total}%" if total else str(done)
                self.stderr.write(f"\r{_('Importing…')} {share}", ending="")

        try:
            with acting_as(importer, name=importer.get_username()):
                result = import_ledger(file, importer, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(_("File not found: %(file)s") % {"file": file}) from exc
        except PermissionDenied as exc:
            raise CommandError(refused % {"user": importer}) from exc
        finally:
            if interactive:
                self.stderr.write("")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was imported: %(n)s problems to fix in %(file)s.")
                % {"n": len(result.errors), "file": file}
            )
        counts = {
            "created": result.created,
            "skipped": result.skipped_same,
            "replaced": getattr(result, "replaced", 0),
            "persons": getattr(result, "persons_created", 0),
        }
        self.stdout.write(summary % counts)

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user %(user)s.") % {"user": username})
            return user
        user = (
            User.objects.filter(is_active=True, groups__name=Role.OFFICE_ADMIN)
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError(
                _("There is no active office head to import as: name a user with --user.")
            )
        return user
