"""Delivery of the queued notification mails: after the saving transaction commits, in a
thread of their own (a save never waits for the mail server), and again by the
`send_pending_mail` command; a mail the server refused stays queued with its error."""

import logging
import threading

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .models import PendingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20


def queue_mail(*, to: str, subject: str, body: str) -> PendingMail:
    """Queue one mail in the current transaction; it is sent once that commits."""
    mail = PendingMail.objects.create(to=to, subject=subject[:300], body=body)
    transaction.on_commit(deliver_soon)
    return mail


def deliver_soon() -> None:
    """Send what is queued: in a background thread unless the settings say inline (tests)."""
    if getattr(settings, "WIKI_MAIL_IN_BACKGROUND", True):
        threading.Thread(target=_deliver_in_thread, daemon=True).start()
    else:
        deliver_pending()


def _deliver_in_thread() -> None:
    try:
        deliver_pending()
    finally:
        close_old_connections()
        connection.close()


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
                send_mail(
                    mail.subject,
                    mail.body,
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
