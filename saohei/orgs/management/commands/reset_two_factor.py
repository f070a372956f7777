"""Reset an account's two-factor login from the server (for the last security administrator
who lost their own phone); audited like the reset on the security policy page."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saohei.core.context import acting_as
from saohei.orgs.models import User
from saohei.orgs.twofactor import reset_devices


class Command(BaseCommand):
    help = "Remove an account's authenticator and recovery codes; they set it up again."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("No account is named %(name)s: check the user name and try again.")
                % {"name": username}
            )
        with acting_as(name="manage.py reset_two_factor"):
            removed = reset_devices(user, by=None)
        self.stdout.write(
            _(
                "Two-factor login of %(name)s was reset: they set up their authenticator app "
                "again at their next login."
            )
            % {"name": username}
            + f" ({removed})"
        )
