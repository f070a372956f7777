"""Index every clue and case and store their open link suggestions: for data loaded without
the save signals (bulk imports, a database that predates case linking). Idempotent: decided
pairs stay decided, open ones are brought up to date."""

from django.core.management.base import BaseCommand

from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.linkage.suggestions import refresh


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--since", help="only items received or opened on or after YYYY-MM-DD")

    def handle(self, *args, since=None, **options):
        counts = {}
        for model, field in ((Clue, "received_on"), (Case, "opened_on")):
            qs = model.objects.order_by("pk")
            if since:
                qs = qs.filter(**{f"{field}__gte": since})
            n = 0
            for item in qs.iterator(chunk_size=500):
                refresh(item)
                n += 1
            counts[model._meta.model_name] = n
        self.stdout.write(f"{counts['clue']} clues and {counts['case']} cases checked for links.")
