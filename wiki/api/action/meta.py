"""The query's meta= modules: siteinfo (in siteinfo.py), userinfo and tokens."""

from ...editorial.blocks import block_on
from ...models import Revision
from ...permissions import is_administrator, is_bot, is_editor
from .bots import granted_rights
from .login import csrf_token, login_token, wiki_name
from .params import Params, timestamp
from .siteinfo import ADMINISTRATOR_RIGHTS, EDITOR_RIGHTS, USER_RIGHTS, meta_siteinfo


def rights_of(user) -> list[str]:
    rights = list(USER_RIGHTS) if user.is_authenticated else ["read"]
    if is_editor(user):
        rights += EDITOR_RIGHTS
    if is_administrator(user):
        rights += ADMINISTRATOR_RIGHTS
    if is_bot(user):
        rights.append("bot")
    return list(dict.fromkeys(rights))


def groups_of(user) -> list[str]:
    groups = ["*"]
    if user.is_authenticated:
        groups.append("user")
    if is_editor(user):
        groups.append("editor")
    if is_administrator(user):
        groups.append("sysop")
    if is_bot(user):
        groups.append("bot")
    return groups


def user_entry(user, props: list[str], p: Params) -> dict:
    """One account as list=users and list=allusers give it (the same groups in both, as
    MediaWiki's): its id and name, and editcount, registration, groups, blockinfo if asked."""
    item = {"userid": user.pk, "name": user.username[:1].upper() + user.username[1:]}
    if "editcount" in props:
        item["editcount"] = Revision.objects.filter(user=user).count()
    if "registration" in props:
        item["registration"] = timestamp(user.date_joined)
    if "groups" in props:
        item["groups"] = groups_of(user)
    if "blockinfo" in props:
        add_block(item, user, p)
    return item


def meta_userinfo(request, p: Params) -> dict:
    user = request.user
    if not user.is_authenticated:
        info = {"id": 0, "name": request.META.get("REMOTE_ADDR", "")}
        p.set_flag(info, "anon", True)
    else:
        info = {"id": user.pk, "name": wiki_name(user)}
    props = p.list("uiprop")
    if "groups" in props:
        info["groups"] = groups_of(user)
    if "rights" in props:
        info["rights"] = granted_rights(request, rights_of(user))
    if "blockinfo" in props:
        add_block(info, user, p)
    return {"userinfo": info}


def add_block(info: dict, user, p: Params) -> None:
    """uiprop=blockinfo: a block on every page, in MediaWiki 1.39's keys beside the rest."""
    block = block_on(user, None)
    if block is None:
        return
    info.update(
        blockid=block.pk,
        blockedby=wiki_name(block.by) if block.by else "",
        blockedbyid=block.by_id or 0,
        blockreason=block.reason,
        blockedtimestamp=timestamp(block.created_at),
        blockexpiry=timestamp(block.expires_at) if block.expires_at else "infinite",
    )
    p.set_flag(info, "blockpartial", False)


def meta_tokens(request, p: Params) -> dict:
    tokens = {}
    for kind in p.list("type", "csrf"):
        if kind == "login":
            tokens["logintoken"] = login_token(request)
        elif kind in ("csrf", "edit"):
            tokens["csrftoken"] = csrf_token(request)
        elif kind in ("watch", "patrol", "rollback"):  # the session's CSRF token, by its name
            tokens[f"{kind}token"] = csrf_token(request)
    return {"tokens": tokens}


# The interface messages bots ask for (pywikibot's replace.py joins summaries with them).
MESSAGES = {
    "comma-separator": ", ",
    "semicolon-separator": "; ",
    "colon-separator": ": ",
    "word-separator": " ",
    "pipe-separator": " | ",
    "and": " and",
}


def meta_allmessages(request, p: Params) -> dict:
    """meta=allmessages for ammessages=…: the messages the site has; others are missing."""
    found = []
    for name in p.list("ammessages"):
        entry = {"name": name, "normalizedname": name}
        if name in MESSAGES:
            entry["content" if p.v2 else "*"] = MESSAGES[name]
        else:
            p.set_flag(entry, "missing", True)
        found.append(entry)
    return {"allmessages": found}


META = {
    "siteinfo": meta_siteinfo,
    "userinfo": meta_userinfo,
    "tokens": meta_tokens,
    "allmessages": meta_allmessages,
}
