"""Delivery of the queued notification mails. A PendingMail row is the record of a mail to
send; after the saving transaction commits, a job on the task queue (`wiki.tasks`) sends what
is pending, and, while the mail server refuses, tries again later with growing waits. A
scheduled job (and the `send_pending_mail` command) sends anything still pending."""

import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils import timezone

from .. import tasks
from ..editorial.revision_hiding import AUTHOR_REMOVED, SUMMARY_REMOVED, visibility_of
from ..models import Revision
from .models import PendingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
JOB = "wiki.watching.mail.deliver_pending_job"


def queue_mail(
    *, to: str, subject: str, body: str, deliver: bool = True, revision_id: int | None = None
) -> PendingMail:
    """Queue one mail in the current transaction; it is sent once that commits (or by the
    caller's `deliver_after_commit`, one job for several mails, with `deliver=False`). A mail
    about a revision names it, so that what is hidden of it by then is left out."""
    mail = PendingMail.objects.create(
        to=to, subject=subject[:300], body=body, revision_id=revision_id
    )
    if deliver:
        deliver_after_commit()
    return mail


def deliver_after_commit() -> None:
    """A job sends what is pending once the current transaction commits."""
    tasks.job_enqueue_on_commit(JOB)


def deliver_pending_job(attempt: int = 0) -> int:
    """The queue's job: send what is pending; while the server refuses, try again after the
    next wait of the backoff, unless a retry is already waiting."""
    sent = deliver_pending()
    refused = PendingMail.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS).exclude(
        last_error=""
    )
    if refused.exists() and not tasks.retries_waiting(JOB):
        tasks.job_retry_later(JOB, attempt + 1, attempt=attempt)
    return sent


def without_hidden_parts(mail: PendingMail) -> tuple[str, str]:
    """The mail's subject and body, checked again as it is sent: a summary or an author's
    name an administrator hid since it was queued is replaced by MediaWiki's words."""
    subject, body = mail.subject, mail.body
    hidden = visibility_of([mail.revision_id]).get(mail.revision_id)
    if hidden is None:
        return subject, body
    revision = Revision.objects.select_related("contributor").get(pk=mail.revision_id)
    removed = []
    if hidden.summary and revision.summary:
        removed.append((revision.summary, SUMMARY_REMOVED))
    if hidden.author and revision.contributor is not None:
        removed.append((revision.contributor.display_name, AUTHOR_REMOVED))
    for said, words in removed:
        subject, body = subject.replace(said, words), body.replace(said, words)
    return subject, body


def deliver_pending(limit: int = 200) -> int:
    """Send queued mails, oldest first; returns how many went out. A failure is recorded on
    the mail (it is tried again next time), never raised."""
    waiting = PendingMail.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS)
    sent = 0
    try:
        smtp = get_connection(fail_silently=False)
        smtp.open()
    except Exception as exc:  # the server is down: every mail waits for the next try
        waiting.update(last_error=f"{type(exc).__name__}: {exc}"[:500])
        log.warning("Mail server unavailable, notifications stay queued: %s", exc)
        return 0
    try:
        for mail in list(waiting[:limit]):
            claimed = PendingMail.objects.filter(pk=mail.pk, sent_at=None).update(
                sent_at=timezone.now(), attempts=mail.attempts + 1
            )
            if not claimed:  # another deliverer sent it meanwhile
                continue
            try:
                subject, body = without_hidden_parts(mail)
                send_mail(
                    subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [mail.to],
                    connection=smtp,
                )
            except Exception as exc:
                PendingMail.objects.filter(pk=mail.pk).update(
                    sent_at=None, last_error=f"{type(exc).__name__}: {exc}"[:500]
                )
                log.warning("Notification to %s not sent, kept for retry: %s", mail.to, exc)
            else:
                sent += 1
    finally:
        try:
            smtp.close()
        except Exception:  # closing a broken connection
            pass
    return sent
