"""`manage.py restore --from DIR --yes`: replace the database and the uploaded files with a
backup made by `manage.py backup` (saohei.core.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="folder", required=True, help="the backup folder")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: everything held now is replaced"
        )

    def handle(self, *args, folder, yes, **options):
        try:
            manifest = read_manifest(folder)
            if not yes:
                raise CommandError(
                    _(
                        "Restoring replaces every record and file held now with the backup of "
                        "%(when)s; add --yes to go ahead."
                    )
                    % {"when": manifest.get("created_at", "?")}
                )
            restore(folder, progress=lambda line: self.stderr.write(line))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Restored from %(dir)s.") % {"dir": folder})
