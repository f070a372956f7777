"""Consistent online backup and restore of the database and the uploaded files (issue 10).

A backup is a folder:

    db.sqlite3 or db.dump   the database: SQLite's online backup API (a consistent copy while
                            the application runs), or pg_dump's custom format for PostgreSQL
    media/                  the uploaded files (attachments, evidence, register files)
    manifest.json           when, which engine, the migrations applied, the rows of every
                            table, each file's size and SHA-256, and the ids of the data keys
                            the encrypted fields were sealed with

The data keys themselves are never written: restoring needs the same SAOHEI_DATA_KEY (or one
that still lists the old keys), and `restore` refuses a backup sealed with a key it does not
hold. After a restore, `manage.py audit_verify` re-walks the audit chain.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto

MANIFEST = "manifest.json"
Progress = Callable[[str], None]


class BackupError(Exception):
    pass


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            # Names from the database's own catalogue, quoted: no user input.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def _files(root: Path) -> dict[str, dict]:
    found = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            with path.open("rb") as fh:  # in chunks: evidence files can be large
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            found[path.relative_to(root).as_posix()] = {
                "size": path.stat().st_size,
                "sha256": digest,
            }
    return found


def _key_ids_in_use() -> list[str]:
    """The ids of the keys that sealed the encrypted values held now (read as stored: the
    field would decrypt them)."""
    from django.apps import apps

    from .fields import EncryptedTextField

    ids = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, EncryptedTextField):
                    continue
                table, column = quote(model._meta.db_table), quote(field.column)
                # Names from the models, quoted: no user input.
                cursor.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
                for (token,) in cursor.fetchall():
                    key_id = crypto.key_id_of(token) if isinstance(token, str) else None
                    if key_id:
                        ids.add(key_id)
    return sorted(ids)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])  # the newest server's own, matching it best
    if found:
        return found
    raise BackupError(
        _("%(tool)s is not installed: install the PostgreSQL client.") % {"tool": name}
    )


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-U", db.get("USER") or "postgres"]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    return args + ["-d", db["NAME"]], env


def backup(out: Path, progress: Progress = lambda line: None) -> dict:
    """Write a backup of the database and the uploaded files into the empty folder `out`."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(_("%(dir)s is not empty: give a new folder.") % {"dir": out})
    out.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    progress(_("Counting the rows of every table…"))
    counts = table_counts()
    progress(_("Copying the database…"))
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out / "db.sqlite3")
        try:

            def step(status, remaining, total):
                progress(_("database: %(done)s of %(total)s pages") % {
                    "done": total - remaining, "total": total,
                })  # fmt: skip

            connection.connection.backup(target, pages=4096, progress=step)
        finally:
            target.close()
    else:
        args, env = _pg_env()
        dump = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(out / "db.dump")]
        # Arguments from the settings and the operator's command line, no shell.
        result = subprocess.run(dump + args, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
    media = Path(settings.MEDIA_ROOT)
    progress(_("Copying the uploaded files…"))
    if media.exists():
        shutil.copytree(media, out / "media")
    else:
        (out / "media").mkdir()
    manifest = {
        "format": 1,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "migrations": _migrations(),
        "tables": counts,
        "files": _files(out / "media"),
        "key_ids": _key_ids_in_use(),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    progress(_("Backup written to %(dir)s.") % {"dir": out})
    return manifest


def _migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(_("%(dir)s holds no backup (no manifest.json).") % {"dir": folder})
    return json.loads(path.read_text("utf-8"))


def restore(folder: Path, progress: Progress = lambda line: None) -> dict:
    """Replace the database and the uploaded files with the backup in `folder`, after
    checking it is whole, of this engine, and sealed with keys this installation holds."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            _("The backup is of a %(theirs)s database; this installation uses %(ours)s.")
            % {"theirs": manifest.get("engine"), "ours": engine}
        )
    held = {k.key_id for k in crypto.keys()}  # noqa: SIM118 (crypto.keys() is the key list)
    missing = sorted(set(manifest.get("key_ids", [])) - held)
    if missing:
        raise BackupError(
            _(
                "The backup's encrypted fields were sealed with data key(s) %(ids)s, which "
                "SAOHEI_DATA_KEY does not hold: add them (after the current key) and retry."
            )
            % {"ids": ", ".join(missing)}
        )
    files = _files(folder / "media")
    if files != manifest["files"]:
        raise BackupError(_("The backup's files do not match its manifest: it is damaged."))
    progress(_("Restoring the database…"))
    if engine == "sqlite":
        source = sqlite3.connect(folder / "db.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_env()
        command = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(folder / "db.dump"),
        ]
        connection.close()
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()})
    progress(_("Restoring the uploaded files…"))
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    shutil.copytree(folder / "media", staging / "media")
    old = media.with_name(f"{media.name}.before-restore-{datetime.datetime.now():%Y%m%d%H%M%S}")
    if media.exists():
        media.rename(old)
    (staging / "media").rename(media)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    counts = table_counts()
    if counts != manifest["tables"]:
        differ = sorted(
            t
            for t in set(counts) | set(manifest["tables"])
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(
            _("After the restore these tables do not hold the rows the backup counted: %(t)s")
            % {"t": ", ".join(differ[:10])}
        )
    progress(_("Restored from %(dir)s; now run manage.py audit_verify.") % {"dir": folder})
    return manifest
