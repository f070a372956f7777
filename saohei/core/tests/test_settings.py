"""The environment contract of DESIGN §5, checked in fresh processes."""

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(args, env_extra, tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SAOHEI_VAR_DIR": str(tmp_path)}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_development_generates_a_private_key_with_a_warning(tmp_path):
    result = run(["check"], {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "data_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32
    assert "No SAOHEI_DATA_KEY in the environment" in result.stderr


def test_production_refuses_to_start_without_a_data_key(tmp_path):
    result = run(
        ["check"],
        {"SAOHEI_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "saohei.gov"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "SAOHEI_DATA_KEY is required" in result.stderr
    assert not (tmp_path / "data_key").exists()


def test_commands_work_with_only_the_contract_variables(tmp_path):
    key = base64.b64encode(os.urandom(32)).decode()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "SAOHEI_DATA_KEY": key}
    for args in (["migrate", "-v0"], ["seed_demo", "--units-only"], ["audit_verify"]):
        result = run(args, env, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
    assert "Saohei#2019" in run(["seed_demo", "--units-only"], env, tmp_path).stdout


def test_a_malformed_key_names_what_to_fix(tmp_path):
    result = run(["check"], {"SAOHEI_DATA_KEY": "c2hvcnQ="}, tmp_path)
    assert result.returncode != 0
    assert "32 bytes" in result.stderr


def test_debug_is_off_unless_asked(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = run(["shell", "-c", code], {}, tmp_path)
    assert result.stdout.strip().endswith("False"), result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = run(
        ["shell", "-c", code], {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, tmp_path
    )
    assert result.stdout.split()[-2:] == ["wal", "IMMEDIATE"], result.stderr
