"""Who may edit what: editors edit and move, administrators also edit protected articles,
delete, protect and block; reviewers mark revisions medically reviewed. A hold a capability adds
(`add_edit_hold`: editorial's blocks) keeps an account from what it covers.

A refused edit is an `EditRefused` (here: `EditForbidden`; the young-account limits:
`limits.EditLimited`), with a code a program can branch on and a status; each interface answers
it in its own way (a form error, a JSON error, a MediaWiki error code)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"
EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "add_section",
    "change_section",
    "view_section",
]
REVIEWER_PERMISSIONS = ["review_article", "view_article"]
# Suppressors hide a revision's parts from administrators too (MediaWiki's "suppress" group).
SUPPRESSORS_GROUP = "Suppressors"
SUPPRESSOR_PERMISSIONS = ["suppress_revision"]
# Bots: their edits carry MediaWiki's bot flag (hidden from recent changes unless asked for).
# The group gives no permission: a bot edits as the Editors it is also in.
BOTS_GROUP = "Bots"
GROUPS = {
    EDITORS_GROUP: EDITOR_PERMISSIONS,
    REVIEWERS_GROUP: REVIEWER_PERMISSIONS,
    SUPPRESSORS_GROUP: SUPPRESSOR_PERMISSIONS,
    BOTS_GROUP: [],
}


def ensure_groups(*, using="default", apps=None, **kwargs) -> None:
    """Create the Editors and Reviewers groups with their permissions where missing.

    The one definition of the groups: migrations 0002 and 0009 call it with their historical
    `apps`, and it runs after every migrate and after the test runner's flush (post_migrate),
    so a database emptied by a transactional test still has its Editors and Reviewers.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label="wiki", codename__in=codenames
            )
        )


class EditRefused(Exception):
    """An edit the door refuses; the message says why in a person's words, `code` for a
    program ("blocked", "protected", "forbidden", "too_many_saves", "too_many_links")."""

    def __init__(self, message: str, *, status: int, code: str):
        super().__init__(message)
        self.status = status
        self.code = code


class EditForbidden(EditRefused, PermissionDenied):
    """The user may not edit this article (403); still a PermissionDenied, so a view that does
    not catch it answers Django's 403 page with the message."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, status=403, code=code)


ensure_editors_group = ensure_groups  # the name migration 0002 imports


def _signed_in_with(user, permission: str) -> bool:
    """An active signed-in user who is a superuser or holds `permission`."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(permission))
    )


def is_editor(user) -> bool:
    return _signed_in_with(user, "wiki.change_article")


def is_administrator(user) -> bool:
    return _signed_in_with(user, "wiki.edit_protected_article")


def is_reviewer(user) -> bool:
    return _signed_in_with(user, "wiki.review_article")


def is_bot(user) -> bool:
    """In the Bots group: their edits are flagged bot."""
    return bool(user and user.is_authenticated and user.groups.filter(name=BOTS_GROUP).exists())


def by_bot(user_field: str = "user_id"):
    """A query expression: whether the row's user (`user_field`) is in the Bots group (an
    edit's bot flag, as recent changes annotate it)."""
    memberships = get_user_model().groups.through.objects
    return Exists(memberships.filter(user_id=OuterRef(user_field), group__name=BOTS_GROUP))


def is_suppressor(user) -> bool:
    return _signed_in_with(user, "wiki.suppress_revision")


# What keeps an account from editing beyond its role (editorial's blocks), each a function
# (user, article or None) -> (code, words) or None; added from `WikiConfig.ready`, so this
# ground floor imports no capability.
edit_holds: list = []


def add_edit_hold(hold) -> None:
    """Have `hold` refuse edits (and the administrators' tools) it says no to."""
    if hold not in edit_holds:
        edit_holds.append(hold)


def _hold(user, article) -> tuple[str, str] | None:
    """The first hold on `user` editing `article` (None: every page), as (code, words)."""
    for hold in edit_holds:
        if found := hold(user, article if article is not None and article.pk else None):
            return found
    return None


def can_edit(user, article) -> bool:
    if article is not None and article.pk and article.is_protected:
        allowed = is_administrator(user)
    elif article is None or not article.pk:
        allowed = is_editor(user) and (user.is_superuser or user.has_perm("wiki.add_article"))
    else:
        allowed = is_editor(user)
    return allowed and _hold(user, article) is None


def can_move(user, article) -> bool:
    """Moving is editing the title: whoever may edit the article may move it."""
    return can_edit(user, article)


def can_delete(user) -> bool:
    """Deleting and undeleting pages: administrators."""
    return is_administrator(user) and _hold(user, None) is None


def can_protect(user) -> bool:
    return is_administrator(user) and _hold(user, None) is None


def can_block(user) -> bool:
    return is_administrator(user) and _hold(user, None) is None


def can_upload(user) -> bool:
    return is_editor(user) and _hold(user, None) is None


def can_patrol(user) -> bool:
    return is_editor(user) and _hold(user, None) is None


def hold_on(user) -> str | None:
    """Why `user` is kept from acting on every page (a site-wide block), in words, or None."""
    held = _hold(user, None)
    return held[1] if held else None


def edit_refusal(user, article) -> str:
    """Why `user` may not edit `article`, in words for the 403 page."""
    return _refusal(user, article)[1]


def _refusal(user, article) -> tuple[str, str]:
    """The code and the words of why `user` may not edit `article`."""
    if not (user and user.is_authenticated):
        return "forbidden", gettext("You need to sign in to edit.")
    if held := _hold(user, article):
        return held
    if article is not None and article.pk and article.is_protected and is_editor(user):
        return "protected", gettext("This article is protected: only administrators can edit it.")
    return "forbidden", gettext(
        "Your account is not in the Editors group, so you can read but not edit. "
        "Ask an administrator to add you."
    )


def require_protect(user) -> None:
    """The check before a protection change: EditForbidden unless an administrator not held
    (blocked)."""
    if not can_protect(user):
        code, message = _hold(user, None) or (
            "forbidden",
            gettext("Only administrators can protect."),
        )
        raise EditForbidden(message, code=code)


def require_edit(user, article) -> None:
    """The one check before an edit: EditForbidden (a PermissionDenied) saying why when `user`
    may not."""
    if not can_edit(user, article):
        code, message = _refusal(user, article)
        raise EditForbidden(message, code=code)
