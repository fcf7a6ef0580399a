import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from wiki.permissions import EDITORS_GROUP


class Command(BaseCommand):
    help = (
        "For the local demo only: (re)create the accounts 'editor' (Editors group) and 'admin' "
        "(superuser) with fresh random passwords, and print how to sign in."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        lines = []
        for username, superuser in (("editor", False), ("admin", True)):
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = superuser
            user.set_password(password)
            user.save()
            if not superuser:
                user.groups.add(Group.objects.get(name=EDITORS_GROUP))
            lines.append(f"  {username:7} password {password}")
        self.stdout.write(
            "Sign in at /accounts/login/ as (local demo accounts):\n" + "\n".join(lines)
        )
