import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.audit.models import AuditEntry
from saohei.audit.services import verify_chain


class Command(BaseCommand):
    help = "Re-walk the audit hash chain; exit non-zero naming the first broken entry."

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        interactive = sys.stderr.isatty()

        def progress(last_id):
            if interactive:
                self.stderr.write(f"\r{last_id}/{total}", ending="")

        broken = verify_chain(progress=progress)
        if interactive:
            self.stderr.write("")
        if broken:
            raise CommandError(
                _("Audit chain broken at entry #%(id)s: %(reason)s.")
                % {"id": broken.entry_id, "reason": broken.reason}
            )
        self.stdout.write(_("Audit chain intact: %(n)s entries verified.") % {"n": total})
