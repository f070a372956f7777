"""Backup and restore round trip (issue 10 item 5): every table and every uploaded file comes
back as it was, on SQLite and on PostgreSQL; a backup sealed with a key this installation
does not hold, or damaged, is refused before anything is touched."""

import datetime
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from saohei.clues import actions as clues
from saohei.clues.choices import Category, Source
from saohei.clues.models import Attachment, Clue
from saohei.core.backup import BackupError, read_manifest, restore, table_counts
from saohei.orgs.choices import Role

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list]:
    """Every row of every table, in a fixed order."""
    rows = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            table = connection.ops.quote_name(name)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from the catalogue)
            rows[name] = sorted(cursor.fetchall(), key=repr)
    return rows


def files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def records(personas, media):
    office = personas[Role.OFFICE_STAFF]
    clue = clues.register(
        office,
        received_on=datetime.date(2019, 6, 1),
        anonymous=False,
        source=Source.PUBLIC,
        category=Category.EVIL_FORCE,
        subjects="王某",
        summary="强迫交易",
        informant_name="李四",
        informant_phone="13900000000",
    )
    clues.attach(clue, office, SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo"))
    return clue


def test_round_trip(records, media, tmp_path, personas):
    rows_before, files_before = every_row(), files(media)
    out = tmp_path / "backup"
    stdout = io.StringIO()
    call_command("backup", out=str(out), stdout=stdout, stderr=io.StringIO())
    manifest = read_manifest(out)
    assert manifest["tables"] == table_counts()
    assert manifest["key_ids"] and "照片" in json.dumps(manifest["files"], ensure_ascii=False)
    assert "李四" not in (out / "manifest.json").read_text("utf-8")  # no personal data in it

    # Work goes on, then something goes wrong: a clue is deleted, its files lost.
    clues.register(
        personas[Role.OFFICE_STAFF], received_on=datetime.date(2019, 6, 2), source=Source.PUBLIC,
        category=Category.EVIL_FORCE, subjects="赵某", summary="寻衅滋事",
    )  # fmt: skip
    Attachment.objects.all().delete()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()

    # Without --yes nothing happens.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", folder=str(out), stdout=io.StringIO())
    call_command("restore", folder=str(out), yes=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert every_row() == rows_before
    assert files(media) == files_before
    clue = Clue.objects.get(pk=records.pk)
    assert clue.informant_name == "李四"  # decrypts with the key held
    call_command("audit_verify", stdout=io.StringIO())


def test_a_foreign_key_or_a_damaged_backup_is_refused(records, media, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", out=str(out), stdout=io.StringIO(), stderr=io.StringIO())
    rows_before = every_row()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["key_ids"] = ["deadbeef"]
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(BackupError, match="deadbeef"):
        restore(out)
    manifest["key_ids"] = []
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    next(p for p in (out / "media").rglob("*") if p.is_file()).write_bytes(b"changed")
    with pytest.raises(BackupError):
        restore(out)
    assert every_row() == rows_before
    with pytest.raises(CommandError, match=re.escape(str(out))):
        call_command("backup", out=str(out), stdout=io.StringIO())  # not an empty folder
