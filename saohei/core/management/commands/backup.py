"""`manage.py backup --out DIR`: a consistent online backup of the database (SQLite's backup
API, or pg_dump) and the uploaded files, with a manifest (saohei.core.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="a new or empty folder")

    def handle(self, *args, out, **options):
        try:
            manifest = backup(out, progress=lambda line: self.stderr.write(line))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backed up %(tables)s tables (%(rows)s rows) and %(files)s files into %(dir)s.")
            % {
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": len(manifest["files"]),
                "dir": out,
            }
        )
