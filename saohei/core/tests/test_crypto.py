import base64
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from saohei.core import crypto
from saohei.orgs.models import User


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def raw_mobile(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_index FROM orgs_user WHERE id = %s", [user.pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_encrypted_field_is_unreadable_in_the_table_and_round_trips():
    user = User.objects.create_user("zhang", mobile="13900001111")
    stored, index = raw_mobile(user)
    assert "13900001111" not in stored
    assert stored.startswith("v1:aes-256-gcm:")
    assert User.objects.get(pk=user.pk).mobile == "13900001111"
    # Exact look-up through the blind index, whatever the spelling.
    field = User._meta.get_field("mobile_index")
    assert User.objects.get(mobile_index=field.index_for("+86 139-0000-1111")) == user
    assert len(index) == 64 and "13900001111" not in index


@pytest.mark.django_db
def test_same_value_encrypts_differently_each_time():
    a = User.objects.create_user("a", mobile="13900001111")
    b = User.objects.create_user("b", mobile="13900001111")
    assert raw_mobile(a)[0] != raw_mobile(b)[0]
    assert raw_mobile(a)[1] == raw_mobile(b)[1]


@pytest.mark.django_db
def test_sm4_gcm_selectable(settings):
    settings.SAOHEI_CIPHER = "sm4-gcm"
    user = User.objects.create_user("li", mobile="13900002222")
    assert raw_mobile(user)[0].startswith("v1:sm4-gcm:")
    settings.SAOHEI_CIPHER = "aes-256-gcm"
    assert User.objects.get(pk=user.pk).mobile == "13900002222"


@pytest.mark.django_db
def test_key_rotation_old_values_still_decrypt(settings):
    old = settings.SAOHEI_DATA_KEY
    user = User.objects.create_user("wang", mobile="13900003333")
    old_id = crypto.key_id_of(raw_mobile(user)[0])
    settings.SAOHEI_DATA_KEY = f"{new_key()},{old}"
    assert User.objects.get(pk=user.pk).mobile == "13900003333"
    user.save()
    assert crypto.key_id_of(raw_mobile(user)[0]) != old_id
    settings.SAOHEI_DATA_KEY = new_key()  # the old key removed too early
    with pytest.raises(crypto.DecryptionError, match="not in SAOHEI_DATA_KEY"):
        User.objects.get(pk=user.pk)


def test_ciphertext_is_bound_to_its_column():
    token = crypto.encrypt("230604199001011234", "clues.clue.informant_id_number")
    assert crypto.decrypt(token, "clues.clue.informant_id_number") == "230604199001011234"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, "orgs.user.mobile")


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("secret", "x.y.z")
    prefix, blob = token.rsplit(":", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError, match="altered"):
        crypto.decrypt(f"{prefix}:{base64.b64encode(bytes(raw)).decode()}", "x.y.z")


@pytest.mark.parametrize(
    "raw, message",
    [
        ("not base64!", "standard base64"),
        (base64.b64encode(b"short").decode(), "32 bytes"),
        (" , ", "no key"),
    ],
)
def test_bad_keys_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_keys(raw)


@pytest.mark.django_db
def test_rotate_data_key_reencrypts_everything(settings):
    from django.core.management import call_command

    user = User.objects.create_user("zhou", mobile="13900004444")
    old_index = raw_mobile(user)[1]
    new = new_key()
    settings.SAOHEI_DATA_KEY = f"{new},{settings.SAOHEI_DATA_KEY}"
    call_command("rotate_data_key", stdout=io.StringIO())
    stored, index = raw_mobile(user)
    assert crypto.key_id_of(stored) == crypto.keys()[0].key_id
    assert index != old_index
    settings.SAOHEI_DATA_KEY = new  # the old key can go now
    assert User.objects.get(pk=user.pk).mobile == "13900004444"
