"""The task queue (wiki/tasks.py): a job whose worker is killed mid-job runs again on the next
worker and completes once; retries wait longer each time; the scheduled jobs exist after
migrate; the admin shows the queue."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Success

from wiki import tasks
from wiki.watching import mail

from .mail_server import free_port

JOB = "tests.queue_jobs.block_first_run_then_record"


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_mid_job_runs_again_and_completes_once(
    start_queue_worker, tmp_path
):
    folder = tmp_path / "job"
    folder.mkdir()
    # A job not finished 8 s after a worker took it is taken again.
    timing = {"QUEUE_TIMEOUT": "6", "QUEUE_RETRY": "8"}
    first = start_queue_worker(**timing)
    tasks.job_enqueue(JOB, str(folder), inline=False)
    wait_until((folder / "started").exists, 60, "the first worker to start the job")
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its cluster die mid-job
    first.popen.wait()
    assert not (folder / "done").exists()
    assert OrmQ.objects.count() == 1  # the job is still on the queue

    start_queue_worker(**timing)
    wait_until((folder / "done").exists, 60, "a new worker to run the job again")
    wait_until(lambda: not OrmQ.objects.exists(), 10, "the job to leave the queue")
    time.sleep(10)  # past another retry period: nothing runs it a third time
    assert len((folder / "done").read_text().splitlines()) == 1
    assert Success.objects.filter(func=JOB).count() == 1


def test_mail_refused_by_the_server_is_tried_again_later_each_time_longer(
    db, settings, make_article
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    mail.PendingMail.objects.create(to="rita@example.org", subject="s", body="b")
    waits = []
    for attempt in (0, 3):
        Schedule.objects.filter(func=mail.JOB, schedule_type=Schedule.ONCE).delete()
        before = timezone.now()
        assert mail.deliver_pending_job(attempt=attempt) == 0
        [retry] = Schedule.objects.filter(func=mail.JOB, schedule_type=Schedule.ONCE)
        waits.append(retry.next_run - before)
        assert retry.args == repr((attempt + 1,))
    assert timedelta(seconds=25) < waits[0] < timedelta(seconds=35)
    assert waits[1] >= 8 * waits[0]
    # One retry waits at a time, however many jobs find the server down.
    mail.deliver_pending_job(attempt=0)
    assert tasks.retries_waiting(mail.JOB) == 1


def test_pending_mail_is_swept_on_a_schedule(db):
    [sweep] = Schedule.objects.filter(name="Send pending mail")
    assert sweep.func == mail.JOB and sweep.schedule_type == Schedule.MINUTES
    assert sweep.repeats == -1


def test_the_admin_shows_queued_scheduled_done_and_failed_jobs(admin_client_):
    tasks.job_enqueue("math.sqrt", 4, inline=False)
    response = admin_client_.get(reverse("admin:django_q_ormq_changelist"))
    assert response.status_code == 200 and "sqrt" in response.content.decode()
    for page in ("schedule", "success", "failure"):
        assert admin_client_.get(reverse(f"admin:django_q_{page}_changelist")).status_code == 200
