"""Long imports started from the browser: a background thread runs the import (one
transaction, all rows or none) while the page polls its progress.

Progress lives in a small file under var/jobs/, not in the database: the import's own
transaction holds the rows until it commits, and on SQLite it holds the write lock too, so
progress written to the database would be invisible (or blocked) until the end.

The process running an import holds an exclusive lock (flock) on var/jobs/<id>.lock from
before the job is seen until its outcome is saved. If the server dies meanwhile (killed,
restarted, the machine lost power) the import's transaction is rolled back by the database
and the operating system releases the lock; the next look at the job finds it running with
nobody holding its lock and marks it not imported, with a message saying so, so the user
knows to import the file again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import acting_as
from .models import ImportJob

log = logging.getLogger(__name__)


def _job_path(job_id: int, suffix: str) -> Path:
    folder = Path(settings.VAR_DIR) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}{suffix}"


def _progress_path(job_id: int) -> Path:
    return _job_path(job_id, ".json")


def _hold(job_id: int) -> int:
    """Lock the job for this process: the open descriptor, held until `_release`."""
    path = _job_path(job_id, ".lock")
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            # Held for a job of the same number in another database sharing this folder (the
            # test suite's workers): that lock is theirs; this job gets a file of its own.
            os.close(fd)
            path.unlink(missing_ok=True)


def _release(job_id: int, fd: int) -> None:
    path = _job_path(job_id, ".lock")
    with contextlib.suppress(FileNotFoundError):
        if os.stat(path).st_ino == os.fstat(fd).st_ino:  # still this job's file
            path.unlink()
    os.close(fd)


def _owner_alive(job_id: int) -> bool:
    """Whether a live process still holds the job's lock."""
    try:
        fd = os.open(_job_path(job_id, ".lock"), os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def settle_abandoned(jobs: Iterable[ImportJob]) -> None:
    """Mark not imported the running jobs whose process is gone (see the module's text), in
    the database and on the objects given, so pages show them as they are now."""
    for job in jobs:
        if job.state != ImportJob.State.RUNNING or _owner_alive(job.pk):
            continue
        message = _(
            "The import stopped before it finished: the server was stopped or restarted while "
            "it ran. Nothing of this file was written; import it again."
        )
        # Only if it is still running: an import that finished meanwhile keeps its outcome.
        ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(
            state=ImportJob.State.FAILED, errors=[message], finished_at=timezone.now()
        )
        job.refresh_from_db(fields=["state", "errors", "finished_at", "created", "skipped"])
        for suffix in (".lock", ".upload"):
            _job_path(job.pk, suffix).unlink(missing_ok=True)


def write_progress(job_id: int, done: int, total: int) -> None:
    path = _progress_path(job_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, path)  # readers never see half a file


def read_progress(job_id: int) -> dict:
    try:
        return json.loads(_progress_path(job_id).read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": 0}


def start_job(kind: str, file_name: str, user) -> tuple[ImportJob, int]:
    """A new running job, locked by this process (the lock is taken before the job can be
    seen, so nobody takes it for abandoned), and the lock to hand to `run_import`."""
    with transaction.atomic():
        job = ImportJob.objects.create(kind=kind, file_name=file_name[:200], user=user)
        return job, _hold(job.pk)


def run_import(job: ImportJob, lock: int, upload, importer: Callable) -> None:
    """Copy the upload to var/jobs/ and run `importer(fileobj, user, progress=…)`, then save
    the outcome and let go of `lock` (from `start_job`).

    The importer returns an object with `created`, `skipped_same` and `errors` (each error
    printable; any error means nothing was written), or raises an exception carrying such an
    `errors` list. SAOHEI_IMPORTS_IN_BACKGROUND=False runs it in the request (tests).
    """
    background = settings.SAOHEI_IMPORTS_IN_BACKGROUND
    name = _job_path(job.pk, ".upload")
    try:
        with open(name, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
    except BaseException as exc:  # a full disk, say: the job must not look alive
        _failed(job, [exc])
        name.unlink(missing_ok=True)
        _release(job.pk, lock)
        raise

    def work():
        if background:
            close_old_connections()
        try:
            with acting_as(job.user), open(name, "rb") as fh:
                result = importer(
                    fh, job.user, progress=lambda done, total: write_progress(job.pk, done, total)
                )
        except Exception as exc:  # refused: every error is kept for the user
            errors = getattr(exc, "errors", None)
            if not errors:
                log.exception("import %s failed", job.pk)
            _failed(job, errors or [exc])
        else:
            if getattr(result, "errors", None):
                _failed(job, result.errors)
                return
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.DONE,
                created=result.created,
                skipped=result.skipped_same,
                finished_at=timezone.now(),
            )
        finally:
            os.unlink(name)
            _release(job.pk, lock)
            if background:
                connection.close()

    if background:
        threading.Thread(target=work, name=f"import-{job.pk}", daemon=True).start()
    else:
        work()


def _failed(job: ImportJob, errors) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.FAILED, errors=[str(e) for e in errors], finished_at=timezone.now()
    )


def import_page(request, *, kind: str, form_class, importer: Callable, template: str):
    """The upload page of a ledger: a checked upload starts a background import and goes to
    its progress page; otherwise the form with the user's recent imports of that kind."""
    from django.shortcuts import redirect, render

    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job, lock = start_job(kind, upload.name, request.user)
        run_import(job, lock, upload, importer)
        return redirect("import_job", pk=job.pk)
    jobs = list(ImportJob.objects.filter(user=request.user, kind=kind)[:10])
    settle_abandoned(jobs)
    return render(request, template, {"form": form, "jobs": jobs})
