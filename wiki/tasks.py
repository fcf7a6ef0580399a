"""The task queue: work that should not run in a request (mail, front-cache bans that did not
get through, scheduled sweeps) is a job for django-q2's worker (`manage.py qcluster`).

The broker is the site's own database (django-q2's ORM broker): a job is a row, taken by a worker
with a lock and deleted only when it finished, so a job whose worker died runs again once
`Q_CLUSTER["retry"]` has passed. The admin shows what is queued, scheduled, done and failed.
With WIKI_TASKS_INLINE (tests) a job runs at once in the caller, as the worker would run it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

# Waits between a job's retries (seconds): a job that failed queues itself again this much later.
BACKOFF = (30, 60, 120, 300, 600, 1800, 3600)


def job_enqueue(func: str, *args, inline: bool | None = None) -> None:
    """Queue `func(*args)` (a dotted path) for a worker; `inline=False` even in tests."""
    if inline is None:
        inline = settings.WIKI_TASKS_INLINE
    async_task(func, *args, sync=inline, group=func.rsplit(".", 1)[-1])


def job_enqueue_on_commit(func: str, *args) -> None:
    """Queue the job once the current transaction commits (at once outside one); a failure to
    queue is logged, never raised into a request whose work is already committed."""
    transaction.on_commit(lambda: job_enqueue(func, *args), robust=True)


def job_retry_later(func: str, *args, attempt: int) -> bool:
    """Queue `func(*args)` again after the `attempt`-th wait of BACKOFF (the scheduler looks
    twice a minute); False when the waits are used up."""
    if attempt >= len(BACKOFF):
        return False
    Schedule.objects.create(
        func=func,
        args=repr(tuple(args)),
        schedule_type=Schedule.ONCE,
        repeats=-1,  # a ONCE schedule is deleted when it has queued its job
        next_run=timezone.now() + timedelta(seconds=BACKOFF[attempt]),
    )
    return True


def retries_waiting(func: str) -> int:
    """How many retries of `func` are scheduled and not yet queued."""
    return Schedule.objects.filter(func=func, schedule_type=Schedule.ONCE).count()


# Jobs run on a schedule: (name, function, every so many minutes).
SCHEDULED = [
    ("Send pending mail", "wiki.watching.mail.deliver_pending_job", 10),
    ("Check cited sources", "wiki.retractions.jobs.check_sources_job", 60),
    ("Follow the site's review interval", "wiki.review.services.follow_site_interval", 10),
]


def ensure_schedules(**kwargs) -> None:
    """After migrate: the scheduled jobs exist, with their current function and interval."""
    for name, func, minutes in SCHEDULED:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
