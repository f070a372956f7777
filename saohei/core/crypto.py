"""Field encryption and blind indexes.

Each stored value is self-describing: ``v1:<cipher>:<key id>:<base64(nonce | ciphertext+tag)>``,
so keys rotate (SAOHEI_DATA_KEY lists several; the first encrypts, any decrypts) and the cipher
can change (AES-256-GCM by default, SM4-GCM for GM/T 密评) without rewriting old rows at once.
The value is bound to its column through the GCM associated data, so a ciphertext copied into
another column or table does not decrypt.

A blind index is an HMAC of a normalised value under a key derived from the data key, so an
exact look-up (ID number, phone) works without decrypting the table.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
CIPHERS = ("aes-256-gcm", "sm4-gcm")
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class DataKey:
    key_id: str
    secret: bytes

    def derive(self, purpose: str, length: int = 32) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()
        ).derive(self.secret)


def parse_keys(raw: str) -> list[DataKey]:
    keys = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            secret = base64.b64decode(part, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                "SAOHEI_DATA_KEY must be standard base64 of 32 random bytes, "
                "several separated by commas."
            ) from exc
        if len(secret) != 32:
            raise ImproperlyConfigured(
                f"SAOHEI_DATA_KEY: each key must be 32 bytes, one is {len(secret)} bytes."
            )
        key_id = hashlib.sha256(b"saohei-key-id" + secret).hexdigest()[:8]
        keys.append(DataKey(key_id, secret))
    if not keys:
        raise ImproperlyConfigured("SAOHEI_DATA_KEY holds no key.")
    return keys


@lru_cache(maxsize=4)
def _keys_for(raw: str) -> tuple[DataKey, ...]:
    return tuple(parse_keys(raw))


def keys() -> tuple[DataKey, ...]:
    return _keys_for(settings.SAOHEI_DATA_KEY)


def current_cipher() -> str:
    cipher = settings.SAOHEI_CIPHER
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"SAOHEI_CIPHER must be one of {', '.join(CIPHERS)}.")
    return cipher


def _seal(cipher: str, key: DataKey, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if cipher == "aes-256-gcm":
        return AESGCM(key.derive("aes-256-gcm")).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(key.derive("sm4-gcm", 16)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(cipher: str, key: DataKey, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher == "aes-256-gcm":
        return AESGCM(key.derive("aes-256-gcm")).decrypt(nonce, sealed, aad)
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.derive("sm4-gcm", 16)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plaintext: str, context: str, cipher: str | None = None) -> str:
    cipher = cipher or current_cipher()
    key = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(cipher, key, nonce, plaintext.encode("utf-8"), context.encode())
    blob = base64.b64encode(nonce + sealed).decode("ascii")
    return f"{PREFIX}:{cipher}:{key.key_id}:{blob}"


def decrypt(token: str, context: str) -> str:
    try:
        prefix, cipher, key_id, blob = token.split(":", 3)
        raw = base64.b64decode(blob, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != PREFIX or cipher not in CIPHERS:
        raise DecryptionError(f"unknown format {prefix}:{cipher}")
    key = next((k for k in keys() if k.key_id == key_id), None)
    if key is None:
        raise DecryptionError(
            f"key {key_id} is not in SAOHEI_DATA_KEY; keep retired keys listed until "
            "`manage.py rotate_data_key` has re-encrypted every value"
        )
    try:
        return _open(cipher, key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode(
            "utf-8"
        )
    except InvalidTag as exc:
        raise DecryptionError("value was altered or belongs to another column") from exc


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 3)
    return parts[2] if len(parts) == 4 else None


def blind_index(value: str, purpose: str) -> str:
    """HMAC-SHA256 of the value under a key derived from the *first* data key.

    Rotating the first key changes every index: `rotate_data_key` recomputes them.
    """
    key = keys()[0].derive(f"blind-index:{purpose}")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
