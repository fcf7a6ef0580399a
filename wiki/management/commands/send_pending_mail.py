from django.core.management.base import BaseCommand

from wiki.watching.mail import deliver_pending
from wiki.watching.models import PendingMail


class Command(BaseCommand):
    help = "Send the notification mails still queued (the mail server was down, say)."

    def handle(self, *args, **options):
        sent = deliver_pending(limit=10_000)
        waiting = PendingMail.objects.filter(sent_at=None).count()
        self.stdout.write(f"{sent} mail(s) sent, {waiting} still queued.")
