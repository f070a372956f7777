"""Re-encrypt every encrypted field with the first key of SAOHEI_DATA_KEY and recompute the
blind indexes. Rotation: put the new key first, keep the old ones after it, run this, then
drop the old keys."""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.core import crypto
from saohei.core.fields import BlindIndexField, EncryptedTextField


def encrypted_models():
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (EncryptedTextField, BlindIndexField))
        ]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current (first) data key."

    def handle(self, *args, **options):
        current = crypto.keys()[0].key_id
        total = 0
        with transaction.atomic():
            for model, fields in encrypted_models():
                # The base manager: rotation must reach every row, whoever could see it.
                rows = model._base_manager.order_by("pk")
                count = rows.count()
                for i, obj in enumerate(rows.iterator(chunk_size=500), 1):
                    obj.save(update_fields=fields)
                    if sys.stderr.isatty() and i % 500 == 0:
                        self.stderr.write(f"\r{model._meta.label}: {i}/{count}", ending="")
                total += count
        self.stdout.write(
            _("Re-encrypted %(n)s rows with key %(key)s.") % {"n": total, "key": current}
        )
