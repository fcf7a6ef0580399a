"""Personal API tokens: an editor makes one on the profile page and a bot sends it as
`Authorization: Bearer <token>`. Only a digest is stored; the token is shown once.
Bot passwords (MediaWiki's Special:BotPasswords) likewise, for clients that sign in
with action=login as `User@appname`."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "enc_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def for_token(self, token: str):
        """The active token with this text, or None."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        return self.active().select_related("user").filter(digest=token_digest(token)).first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “link bot”.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False, help_text="The token's first letters.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.hint}…) of {self.user}"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """A new token for `user`, and its text (shown to them once, never stored)."""
        text = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=token_digest(text), hint=text[: len(TOKEN_PREFIX) + 6]
        )
        return token, text

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# MediaWiki's grants (Special:BotPasswords): what a bot password may do, each with the
# MediaWiki rights it carries. "basic" (reading) comes with every bot password.
GRANTS = {
    "basic": (
        "Basic rights: read pages",
        ["read", "writeapi", "viewmywatchlist", "editmywatchlist"],
    ),
    "editpage": ("Edit existing pages", ["edit", "minoredit", "applychangetags"]),
    "createeditmovepage": (
        "Create, edit and move pages",
        ["edit", "minoredit", "applychangetags", "createpage", "move"],
    ),
    "uploadfile": ("Upload new files", ["upload"]),
    "patrol": ("Patrol and review changes", ["patrol", "review"]),
    "protect": ("Protect and unprotect pages", ["protect", "editprotected"]),
    "delete": ("Delete and undelete pages", ["delete", "undelete"]),
}
BOT_PASSWORD_LENGTH = 32


class BotPasswordQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class BotPassword(models.Model):
    """An application password (MediaWiki's bot password): the bot signs in as
    `User@appname` with it and may do only what its grants allow. Only a hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bot_passwords"
    )
    appname = models.CharField(max_length=32, help_text="The bot's name, after the @.")
    password_hash = models.CharField(max_length=128, editable=False)
    grants = models.JSONField(default=list, help_text="What it may do (keys of GRANTS).")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BotPasswordQuerySet.as_manager()

    class Meta:
        ordering = ["appname", "-pk"]

    def __str__(self):
        return f"{self.user}@{self.appname}"

    @classmethod
    def issue(cls, *, user, appname: str, grants) -> tuple["BotPassword", str]:
        """A new bot password for `user` and its text (shown once, stored only hashed)."""
        text = secrets.token_hex(BOT_PASSWORD_LENGTH // 2)
        bot = cls.objects.create(
            user=user,
            appname=appname,
            password_hash=make_password(text),
            grants=sorted({"basic", *grants} & set(GRANTS)),
        )
        return bot, text

    def matches(self, text: str) -> bool:
        return check_password(text, self.password_hash)

    def rights(self) -> set[str]:
        return {right for grant in self.grants for right in GRANTS.get(grant, ("", []))[1]}

    def grant_labels(self) -> list[str]:
        return [GRANTS[grant][0] for grant in self.grants if grant in GRANTS]

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
