"""Import jobs whose server died: marked not imported once nobody holds them, never while
their process still runs (the kill itself is in test_crash.py)."""

import pytest
from django.utils import translation

from saohei.core import jobs
from saohei.core.models import ImportJob
from saohei.orgs.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_a_running_job_nobody_holds_is_marked_not_imported(personas, tmp_path):
    user = personas[Role.OFFICE_ADMIN]
    alive, lock = jobs.start_job("clues", "a.xlsx", user)
    dead, dead_lock = jobs.start_job("clues", "b.xlsx", user)
    (tmp_path / "jobs" / f"{dead.pk}.upload").write_bytes(b"the copy of the upload")
    jobs._release(dead.pk, dead_lock)  # what the operating system does when the process dies
    done = ImportJob.objects.create(kind="clues", file_name="c.xlsx", user=user)
    ImportJob.objects.filter(pk=done.pk).update(state=ImportJob.State.DONE)
    done.refresh_from_db()

    shown = list(ImportJob.objects.filter(pk__in=[alive.pk, dead.pk, done.pk]).order_by("pk"))
    with translation.override("zh-hans"):
        jobs.settle_abandoned(shown)

    assert [j.state for j in shown] == ["running", "failed", "done"]
    states = dict(ImportJob.objects.values_list("pk", "state"))
    assert (states[alive.pk], states[dead.pk], states[done.pk]) == ("running", "failed", "done")
    assert "服务器被停止或重启" in ImportJob.objects.get(pk=dead.pk).errors[0]
    assert not (tmp_path / "jobs" / f"{dead.pk}.upload").exists()
    jobs._release(alive.pk, lock)


def test_a_job_that_finished_meanwhile_keeps_its_outcome(personas):
    job, lock = jobs.start_job("clues", "a.xlsx", personas[Role.OFFICE_ADMIN])
    seen = ImportJob.objects.get(pk=job.pk)  # read while running...
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE, created=3)
    jobs._release(job.pk, lock)  # ...and it finished before the look at its lock

    jobs.settle_abandoned([seen])

    assert seen.state == ImportJob.State.DONE and seen.created == 3
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.DONE


def test_a_lock_held_for_a_job_of_the_same_number_elsewhere_is_left_to_it(personas, tmp_path):
    """Another database sharing the folder (the suite's workers) may run a job numbered alike."""
    job, lock = jobs.start_job("clues", "a.xlsx", personas[Role.OFFICE_ADMIN])
    theirs = jobs._hold(job.pk + 1)

    ours = jobs._hold(job.pk + 1)  # not refused, not waiting: a file of its own
    jobs._release(job.pk + 1, theirs)  # theirs ends: our lock file stays

    assert jobs._owner_alive(job.pk + 1)
    jobs._release(job.pk + 1, ours)
    assert not jobs._owner_alive(job.pk + 1)
    jobs._release(job.pk, lock)
