"""Long imports started from the browser: a background thread runs the import (one
transaction, all rows or none) while the page polls its progress.

Progress lives in a small file under var/jobs/, not in the database: the import's own
transaction holds the rows until it commits, and on SQLite it holds the write lock too, so
progress written to the database would be invisible (or blocked) until the end.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .context import acting_as
from .models import ImportJob

log = logging.getLogger(__name__)


def _progress_path(job_id: int) -> Path:
    folder = Path(settings.VAR_DIR) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.json"


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


def run_import(job: ImportJob, upload, importer: Callable) -> None:
    """Copy the upload to a temporary file and run `importer(fileobj, user, progress=…)`.

    The importer returns an object with `created`, `skipped_same` and `errors` (each error
    printable; any error means nothing was written), or raises an exception carrying such an
    `errors` list. SAOHEI_IMPORTS_IN_BACKGROUND=False runs it in the request (tests).
    """
    background = settings.SAOHEI_IMPORTS_IN_BACKGROUND
    fd, name = tempfile.mkstemp(suffix=".xlsx", dir=Path(settings.VAR_DIR))
    with os.fdopen(fd, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)

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
        job = ImportJob.objects.create(kind=kind, file_name=upload.name[:200], user=request.user)
        run_import(job, upload, importer)
        return redirect("import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(request, template, {"form": form, "jobs": jobs})
