from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from encyclopedia.accounts import promote_confirmed
from wiki.watching.models import Preferences


class Command(BaseCommand):
    help = (
        "Add self-registered accounts to Editors once their address was confirmed for "
        "REGISTRATION_AUTO_EDITOR_DAYS (sign-in does it too; this reaches those who stay "
        "signed in)."
    )

    def handle(self, *args, **options):
        confirmed = Preferences.objects.exclude(email_confirmed_at=None).values("user_id")
        users = get_user_model().objects.filter(pk__in=confirmed, is_active=True)
        promoted = [u.get_username() for u in users if promote_confirmed(u)]
        self.stdout.write(f"{len(promoted)} account(s) added to Editors: {', '.join(promoted)}")
