"""What MediaWiki checks before any module runs, for bots: `maxlag` (wait while the replica
lags), `assert=user|bot`, and a bot password's grants (a session signed in as
`User@appname` may do only what its grants allow: MediaWiki's Special:BotPasswords)."""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.module_loading import import_string

from ...models import Article
from ...permissions import is_bot
from ...titles import InvalidTitle, title_to_slug, validate_title
from ..models import BotPassword
from .params import Failure, Params

SESSION_KEY = "api_bot_password"
RETRY_AFTER_SECONDS = 5
# The grants a write module needs (any one of them); a write module not named here is refused
# to a bot password. Editing needs "editpage" for an existing page, "createeditmovepage" to
# create one (checked in `_check_grants`).
GRANTS_FOR = {
    "move": {"createeditmovepage"},
    "delete": {"delete"},
    "undelete": {"delete"},
    "protect": {"protect"},
    "upload": {"uploadfile"},
    "review": {"patrol"},
    "patrol": {"patrol"},
    "rollback": {"editpage", "createeditmovepage"},
}
FREE_ACTIONS = {"login", "clientlogin", "logout", "watch", "clearhasmsg"}


class Lagged(Failure):
    """The maxlag error: answered with Retry-After and X-Database-Lag headers."""

    def __init__(self, lag: float):
        info = f"Waiting for the database replica: {lag:g} seconds lagged."
        super().__init__("maxlag", info, host="replica", lag=lag)
        self.lag = lag


def replica_lag() -> float:
    """Seconds the read replica lags (settings.API_REPLICA_LAG names the function that
    measures it; without a replica there is no lag)."""
    measure = getattr(settings, "API_REPLICA_LAG", None)
    return float(import_string(measure)()) if measure else 0.0


def bot_password_of(request) -> BotPassword | None:
    """The bot password the session signed in with, or None; a revoked one signs it out."""
    if not hasattr(request, "_bot_password"):
        bot = None
        pk = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if pk is not None:
            bot = BotPassword.objects.active().filter(pk=pk, user=request.user).first()
            if bot is None:
                logout(request)
        request._bot_password = bot
    return request._bot_password


def remember_bot_password(request, bot: BotPassword | None) -> None:
    """After a sign-in: the session's bot password (None for a sign-in with the account's
    own password)."""
    request._bot_password = bot
    if bot is None:
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = bot.pk
    BotPassword.objects.filter(pk=bot.pk).update(last_used_at=timezone.now())


def granted_rights(request, rights: list[str]) -> list[str]:
    """`rights` as the session may use them: a bot password keeps only its grants' rights."""
    bot = bot_password_of(request)
    if bot is None:
        return rights
    allowed = bot.rights() | {"bot"}
    return [right for right in rights if right in allowed]


def check_before_module(request, action: str, p: Params, *, writes: bool) -> None:
    """maxlag, assert and (for a module that `writes`) grants, in MediaWiki's order. A
    session whose bot password was revoked is signed out first."""
    bot = bot_password_of(request)
    if p.has("maxlag"):
        lag = replica_lag()
        if lag > p.int("maxlag"):
            raise Lagged(lag)
    wanted = p.get("assert")
    if wanted in ("user", "bot") and not request.user.is_authenticated:
        raise Failure("assertuserfailed", "You are no longer logged in.")
    if wanted == "bot" and not is_bot(request.user):
        raise Failure("assertbotfailed", 'You do not have the "bot" right.')
    if writes and action not in FREE_ACTIONS:
        _check_grants(bot, action, p)


def _page_exists(p: Params) -> bool:
    if p.has("pageid"):
        return Article.objects.filter(pk=p.int("pageid")).exists()
    try:
        slug = title_to_slug(validate_title(p.get("title", "")))
    except InvalidTitle:
        return True  # the module answers the bad title
    return Article.objects.by_slug(slug).exists()


def _check_grants(bot: BotPassword | None, action: str, p: Params) -> None:
    if bot is None:
        return
    granted = set(bot.grants)
    if action == "edit":
        needed = {"createeditmovepage"} | ({"editpage"} if _page_exists(p) else set())
        words = "edit this page" if "editpage" in needed else "create this page"
    else:
        needed = GRANTS_FOR.get(action, set())
        words = f"use the {action} module"
    if not needed & granted:
        raise Failure(
            "permissiondenied",
            f"You don't have permission to {words}: the bot password “{bot.appname}” "
            "was not granted it.",
        )
