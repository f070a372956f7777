"""Re-encrypt every encrypted field with the first key of SAOHEI_DATA_KEY (and the cipher of
SAOHEI_CIPHER) and recompute the blind indexes. Rotation: put the new key first, keep the old
ones after it, run this, then drop the old keys.

The rows are rewritten a batch at a time, each batch in its own transaction, and a row whose
values are all sealed with the current key and cipher already is left alone. So the rotation
can be stopped at any point — the process killed, the server lost — and every value still
decrypts (each names the key that sealed it, and the old keys are still listed); running the
command again carries on where it stopped. On SQLite a batch holds the write lock only
briefly, so the application keeps working during a long rotation. Only when the command
reports that it finished may the old keys go.
"""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core import crypto
from saohei.core.fields import BlindIndexField, EncryptedTextField

BATCH = 500  # rows per transaction


def encrypted_models():
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (EncryptedTextField, BlindIndexField))
        ]
        if fields:
            yield model, fields


def _stale_ids(model, after, current: str, cipher: str) -> tuple[list, object]:
    """Of the next BATCH rows after pk `after`: the pks of those with a value sealed by
    another key or cipher, and the last pk read (None at the end). Read raw, not decrypted."""
    meta = model._meta
    columns = [f.column for f in meta.concrete_fields if isinstance(f, EncryptedTextField)]
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    where, params = ("", []) if after is None else (f"WHERE {pk} > %s", [after])
    sql = (
        f"SELECT {', '.join(quote(c) for c in [meta.pk.column, *columns])} "  # noqa: S608 (names from the models)
        f"FROM {quote(meta.db_table)} "
        f"{where} ORDER BY {pk} LIMIT {BATCH}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    stale = [
        row[0]
        for row in rows
        # A blind index over a plain field says nothing of its key: always recomputed.
        if not columns
        or any(value and value.split(":", 3)[1:3] != [cipher, current] for value in row[1:])
    ]
    return stale, rows[-1][0] if rows else None


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current (first) data key; resumable."

    def handle(self, *args, **options):
        current, cipher = crypto.keys()[0].key_id, crypto.current_cipher()
        rotated = total = 0
        for model, fields in encrypted_models():
            # The base manager: rotation must reach every row, whoever could see it.
            rows = model._base_manager
            count = rows.count()
            after, seen = None, 0
            while True:
                stale, last = _stale_ids(model, after, current, cipher)
                if last is None:
                    break
                with transaction.atomic():
                    # Locked and read again inside the transaction: a row changed since the
                    # look above is rewritten from what it holds now.
                    for obj in rows.select_for_update().filter(pk__in=stale).order_by("pk"):
                        obj.save(update_fields=fields)
                rotated += len(stale)
                seen += BATCH
                after = last
                if sys.stderr.isatty():
                    self.stderr.write(
                        f"\r{model._meta.label}: {min(seen, count)}/{count}", ending=""
                    )
            total += count
        if sys.stderr.isatty():
            self.stderr.write("")
        if rotated:
            record(
                Action.UPDATE,
                object_type="core.datakey",
                object_id=current,
                object_repr=_("Data key rotation"),
                changes={"key": current, "cipher": cipher, "rewritten": rotated},
            )
        self.stdout.write(
            _(
                "Rotation finished: every encrypted value (%(n)s rows) is sealed with key "
                "%(key)s; %(rotated)s rows were re-encrypted now. The old keys may be removed."
            )
            % {"n": total, "key": current, "rotated": rotated}
        )
