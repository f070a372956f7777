from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "saohei.clues"
    label = "clues"
    verbose_name = _("Clues")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .search import ensure_trigram_index

        # After every migrate (a migration that rebuilds clues_clue on SQLite drops the
        # index's triggers with the old table), make sure the search index is complete.
        post_migrate.connect(
            ensure_trigram_index, sender=self, dispatch_uid="saohei.clues.ensure_trigram_index"
        )
