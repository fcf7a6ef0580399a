import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from wiki.models import Contributor
from wiki.permissions import EDITORS_GROUP, REVIEWERS_GROUP


class Command(BaseCommand):
    help = (
        "For the local demo only: (re)create the accounts 'editor' (Editors group), 'reviewer' "
        "(Editors and Reviewers, credited as a physician) and 'admin' (superuser) with fresh "
        "random passwords, and print how to sign in."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        lines = []
        groups = {"editor": [EDITORS_GROUP], "reviewer": [EDITORS_GROUP, REVIEWERS_GROUP]}
        for username in ("editor", "reviewer", "admin"):
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = username == "admin"
            user.set_password(password)
            user.save()
            for name in groups.get(username, []):
                user.groups.add(Group.objects.get(name=name))
            if username == "reviewer":
                Contributor.objects.update_or_create(
                    user=user, defaults={"name": "Dr Demo Reviewer", "credentials": "MD"}
                )
            lines.append(f"  {username:8} password {password}")
        self.stdout.write(
            "Sign in at /accounts/login/ as (local demo accounts):\n" + "\n".join(lines)
        )
