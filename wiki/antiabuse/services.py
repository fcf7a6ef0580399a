"""What the edit door asks of anti-abuse (`edit_screen`), and the link lists it reads.

`edit_screen` is the one call the door makes after its own checks: it refuses an edit that
adds a link on the blocklist (`LinkBlocked`), or a young account's edit that adds links to
other sites without a solved captcha (`CaptchaNeeded`); then the abuse rules (`rules.py`)
deny it (`EditDenied`), warn once (`EditWarned`), hold it (`holding.EditHeld`, as a young
account's edits are under WIKI_HOLD_NEW_ACCOUNT_EDITS) or tag it. All are `EditRefused`,
answered by each interface as it answers every refusal; nothing is saved and the text is kept."""

import hashlib
import logging
from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.cache import cache

from ..limits import EditLimited, is_young
from ..models import Article
from ..permissions import EditRefused
from ..services import ArticleEdit
from .holding import NEW_ACCOUNT_REASON, edit_hold, holds_new_accounts
from .link_finding import FoundLink, added_links, normalised
from .lookalikes import skeleton
from .models import AbuseHit, AbuseRule, LinkPattern
from .rules import EditFacts, RuleMatch, matching_rules

logger = logging.getLogger(__name__)

LONGEST_LINK = 2000  # characters of a link a regular expression is searched in


@dataclass(frozen=True)
class LinkMatch:
    """A newly added link and the entry that refuses it; `text` is the part of the link that
    matched, as MediaWiki's SpamBlacklist reports it."""

    link: FoundLink
    entry: str
    text: str
    lookalike_of: str = ""

    def sentence(self) -> str:
        if self.lookalike_of:
            return (
                f"{self.link.written} looks like {self.lookalike_of} but is another site "
                f"({self.link.ascii_host})"
            )
        return f"{self.link.written} (blocklist entry “{self.entry}”)"


class LinkBlocked(EditLimited):
    """The edit adds a link the blocklist refuses (code "spamblacklist", 400). An
    `EditLimited`, so every writer that answers the young-account limits (the media pages'
    forms and uploads) answers it as well."""

    def __init__(self, matches: list[LinkMatch]):
        self.matches = matches
        said = "; ".join(match.sentence() for match in matches[:5])
        super().__init__(
            f"Your edit adds a link to a blocked site: {said}. Nothing was saved: remove the "
            "link (your text is kept), or ask an administrator if the site should be allowed.",
            status=400,
            code="spamblacklist",
        )

    @property
    def details(self) -> dict:
        return {"matches": [match.text for match in self.matches]}


class CaptchaNeeded(EditRefused):
    """A young account's edit adds links to other sites: it is saved once a captcha is
    solved (code "captcha", 400)."""

    def __init__(self, links: list[FoundLink]):
        self.links = links
        super().__init__(
            f"Your edit adds {'a link' if len(links) == 1 else f'{len(links)} links'} to other "
            "sites. New accounts answer a captcha to add links: type the characters shown "
            "(or listen to them) and save again. Nothing was saved yet; your text is kept.",
            status=400,
            code="captcha",
        )

    @property
    def details(self) -> dict:
        return {"links": [link.written for link in self.links]}


class EditDenied(EditRefused):
    """An abuse rule refuses the edit (code "abusefilter-disallowed", 403), its message and
    name said."""

    def __init__(self, match: RuleMatch):
        self.rule = match.rule
        message = match.rule.message or "This edit looks harmful and was refused."
        super().__init__(
            f"{message} Nothing was saved; your text is kept. (Abuse rule “{match.rule.name}”.)",
            status=403,
            code="abusefilter-disallowed",
        )

    @property
    def details(self) -> dict:
        return {"rule": self.rule.name}


class EditWarned(EditRefused):
    """Abuse rules warn about the edit (code "abusefilter-warning", 400): the same edit sent
    again by the same person is saved (`WARNING_SECONDS` to do so)."""

    def __init__(self, matches: list[RuleMatch]):
        self.rules = [match.rule for match in matches]
        said = " ".join(m.rule.message or f"Abuse rule “{m.rule.name}” matched." for m in matches)
        super().__init__(
            f"{said} Nothing was saved yet: check your edit; to save it as it is, save again.",
            status=400,
            code="abusefilter-warning",
        )

    @property
    def details(self) -> dict:
        return {"rules": [rule.name for rule in self.rules]}


WARNING_SECONDS = 3600  # how long a warned edit, sent again unchanged, is saved
ORDER = [AbuseRule.Action.DENY, AbuseRule.Action.HOLD, AbuseRule.Action.WARN]


def edit_screen(
    *,
    article: Article,
    edit: ArticleEdit,
    interface: str,
    old_text: str,
    new_text: str,
    captcha_solved: bool = False,
    approved: bool = False,
) -> list[str]:
    """The edit door's anti-abuse step: raise `LinkBlocked`, `CaptchaNeeded`, `EditDenied`,
    `EditHeld` or `EditWarned`, else answer the tags the revision gets. `old_text` and
    `new_text` are the whole texts; only what the edit adds or removes is looked at. An
    editor's approval of a held edit (`approved`) meets the blocklist, and the tagging rules
    (its hits were logged when it was held); the editor stands for the others."""
    user = edit.user
    added, allow = link_screen(old_text=old_text, new_text=new_text)
    if approved:
        return _tags(_rule_matches(article, edit, interface, old_text, new_text, log=False))
    if not captcha_solved and settings.WIKI_CAPTCHA_FOR_LINKS and is_young(user):
        if needing := [link for link in added if not link.bare and not _allowed(link, allow)]:
            raise CaptchaNeeded(needing)
    matches = _rule_matches(article, edit, interface, old_text, new_text, log=True)
    by_action = {action: [m for m in matches if m.rule.action == action] for action in ORDER}
    if denied := by_action[AbuseRule.Action.DENY]:
        raise EditDenied(denied[0])
    if held := by_action[AbuseRule.Action.HOLD]:
        rule = held[0].rule
        reason = rule.message or f"Abuse rule “{rule.name}”."
        raise edit_hold(article=article, edit=edit, interface=interface, reason=reason, rule=rule)
    if holds_new_accounts(user):
        raise edit_hold(
            article=article, edit=edit, interface=interface, reason=NEW_ACCOUNT_REASON, rule=None
        )
    warned = by_action[AbuseRule.Action.WARN]
    if warned := [m for m in warned if not _warned_before(m, user, article.title, new_text)]:
        raise EditWarned(warned)
    return _tags(matches)


def _rule_matches(article, edit, interface, old_text, new_text, *, log: bool) -> list[RuleMatch]:
    if not (rules := list(AbuseRule.objects.filter(enabled=True))):
        return []
    facts = EditFacts(
        title=article.title,
        old_text=old_text,
        new_text=new_text,
        user=edit.user,
        interface=interface,
        categories=_categories(article, edit) if any(r.in_category for r in rules) else [],
    )
    matches = matching_rules(facts, rules)
    if log:
        _log_hits(matches, facts)
    return matches


def _tags(matches: list[RuleMatch]) -> list[str]:
    return list(dict.fromkeys(m.rule.tag for m in matches if m.rule.action == "tag"))


def _categories(article: Article, edit: ArticleEdit) -> list[str]:
    """The article's categories before the edit and after it: removing "Drugs" in the same
    edit does not take a dose change out of a rule's sight."""
    now = [] if article._state.adding else list(article.categories.values_list("name", flat=True))
    return list(dict.fromkeys([*now, *(edit.category_names() or [])]))


def _log_hits(matches: list[RuleMatch], facts: EditFacts) -> None:
    user = facts.user if facts.user and facts.user.is_authenticated else None
    AbuseHit.objects.bulk_create(
        AbuseHit(
            rule=m.rule,
            user=user,
            title=facts.title,
            interface=facts.interface,
            action=m.rule.action,
            matched=m.matched,
        )
        for m in matches
    )


def _warned_before(match: RuleMatch, user, title: str, new_text: str) -> bool:
    """Whether this person was warned by this rule about this very edit (then it is saved);
    if not, remember that they now are."""
    who = user.pk if user and user.is_authenticated else "anonymous"
    edit = hashlib.sha256(f"{title}\0{new_text}".encode()).hexdigest()
    key = f"abuse-warned:{match.rule.pk}:{who}:{edit}"
    if cache.get(key):
        return True
    cache.set(key, True, timeout=WARNING_SECONDS)
    return False


def link_screen(*, old_text: str, new_text: str) -> tuple[list[FoundLink], list[LinkPattern]]:
    """Raise `LinkBlocked` when `new_text` adds a link the lists refuse (an edit, a media
    page's description); else answer the added links and the allowlist."""
    added = added_links(old_text, new_text)
    if not added:
        return [], []
    patterns = list(LinkPattern.objects.filter(enabled=True))
    allow = [p for p in patterns if p.list == LinkPattern.List.ALLOW]
    block = [p for p in patterns if p.list == LinkPattern.List.BLOCK]
    refused = [match for link in added if (match := link_refusal(link, allow, block))]
    if refused:
        raise LinkBlocked(refused)
    return added, allow


def link_refusal(link: FoundLink, allow, block) -> LinkMatch | None:
    """Why `link` is refused, or None: an allowlisted site is never refused; a look-alike of
    an allowlisted domain always is; else the first blocklist entry that matches."""
    if _allowed(link, allow):
        return None
    for entry in allow:
        if entry.kind == LinkPattern.Kind.DOMAIN and _covers(
            skeleton(entry.pattern), link.skeleton
        ):
            return LinkMatch(link, entry.pattern, _site(link), lookalike_of=entry.pattern)
    for entry in block:
        if text := _matched(entry, link):
            return LinkMatch(link, entry.pattern, text)
    return None


def _allowed(link: FoundLink, allow) -> bool:
    for entry in allow:
        if entry.kind == LinkPattern.Kind.DOMAIN:
            if _covers(_ascii_form(entry.pattern), link.ascii_host):
                return True
        elif _search(entry.pattern, link.plain_url) and not link.disguised:
            return True
    return False


def _matched(entry: LinkPattern, link: FoundLink) -> str:
    """The text of `link` that `entry` matches, or ""."""
    if entry.kind == LinkPattern.Kind.DOMAIN:
        if _covers(skeleton(entry.pattern), link.skeleton) or _covers(
            _ascii_form(entry.pattern), link.ascii_host
        ):
            return _site(link)
        return ""
    for text in (link.url, link.plain_url, link.written):
        if found := _search(entry.pattern, text):
            return found
    return ""


PATTERN_SECONDS = 0.1  # a blocklist expression's time on one link


def _search(pattern: str, text: str) -> str:
    """What `pattern` finds in the link; a pattern that runs past PATTERN_SECONDS (nested
    repeats an administrator wrote) matches nothing and is logged, so a save never hangs."""
    try:
        found = regex.search(
            pattern, text[:LONGEST_LINK], regex.IGNORECASE, timeout=PATTERN_SECONDS
        )
    except regex.error:  # refused by the admin's form; one saved otherwise matches nothing
        return ""
    except TimeoutError:
        logger.warning("Link pattern %r ran out of time on %r", pattern, text[:200])
        return ""
    return found.group(0) if found else ""


def _covers(domain: str, host: str) -> bool:
    return bool(domain) and (host == domain or host.endswith(f".{domain}"))


def _ascii_form(domain: str) -> str:
    found = normalised(f"//{domain}")
    return found.ascii_host if found else domain


def _site(link: FoundLink) -> str:
    return f"{link.url.split('://', 1)[0]}://{link.host}"
