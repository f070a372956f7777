"""Encrypted model fields.

    informant_id_number = EncryptedTextField(blank=True)
    informant_id_number_index = BlindIndexField(source="informant_id_number",
                                                normalize=normalize_id_number)

Reading the plain value of a protected field for a user goes through
saohei.audit.services.reveal(), which checks the permission and writes the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores ``v1:<cipher>:<key id>:<base64>``; Python sees the plain string."""

    description = "Text encrypted with AES-256-GCM or SM4-GCM"

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, self._context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, self._context())

    def get_lookup(self, lookup_name):
        # Ciphertexts are randomised: only isnull and exact-empty make sense. Look values up
        # through the blind index instead.
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """HMAC of another field's normalised value, filled on save, for exact look-up.

    `purpose` names the kind of value ("id_number", "phone"): fields with the same purpose
    index the same value alike, so an ID number can be looked up across tables.
    """

    def __init__(
        self,
        *args,
        source: str = "",
        purpose: str = "",
        normalize: Callable[[str], str] | None = None,
        **kwargs,
    ):
        self.source = source
        self.index_purpose = purpose or source
        self.normalize = normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.index_purpose
        for key in ("max_length", "blank", "editable", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def index_for(self, value: str | None) -> str:
        if not value:
            return ""
        if self.normalize:
            value = self.normalize(value)
        return crypto.blind_index(value, self.index_purpose)

    def pre_save(self, model_instance, add):
        value = self.index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
