"""Abuse rules evaluated over one edit: what the edit changed (`EditFacts`) and which enabled
rules match it (`matching_rules`), within a time budget.

Conditions are fields, never code. Regular expressions run with the `regex` module's own
time limit on bounded text, so a catastrophic pattern costs at most the budget: the rule that
runs out is skipped and logged, and the edit goes on."""

import datetime as dt
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import regex
from django.conf import settings
from django.utils import timezone

from ..models import Revision
from ..sources import split_source
from .link_finding import added_links
from .models import AbuseRule

logger = logging.getLogger(__name__)

SCREENED_CHARS = 200_000  # of added or removed text, and of a title, a pattern is searched in
FOOTNOTE = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)


class OutOfTime(Exception):
    """The rule set's time budget ran out."""


@dataclass
class EditFacts:
    """One edit as the rules see it: whole texts before and after, and who made it where."""

    title: str
    old_text: str
    new_text: str
    user: object = None
    interface: str = ""
    categories: list[str] = field(default_factory=list)
    at: dt.datetime | None = None  # when it was made (a trial on past edits); default now

    @cached_property
    def _line_changes(self) -> tuple[str, str]:
        old, new = Counter(self.old_text.splitlines()), Counter(self.new_text.splitlines())
        added = "\n".join((new - old).elements())
        removed = "\n".join((old - new).elements())
        return added[:SCREENED_CHARS], removed[:SCREENED_CHARS]

    @property
    def added_text(self) -> str:
        """The lines the edit adds (a line moved elsewhere is neither added nor removed)."""
        return self._line_changes[0]

    @property
    def removed_text(self) -> str:
        return self._line_changes[1]

    @cached_property
    def added_link_count(self) -> int:
        return len([link for link in added_links(self.old_text, self.new_text) if not link.bare])

    @cached_property
    def references_removed(self) -> list[str]:
        return sorted(set(FOOTNOTE.findall(self.old_text)) - set(FOOTNOTE.findall(self.new_text)))

    @property
    def removed_chars(self) -> int:
        """How much shorter the text is: a typo fixed in a long paragraph changes a line of
        thousands of characters but removes one."""
        return max(0, len(self.old_text) - len(self.new_text))

    @cached_property
    def blanked_sections(self) -> list[str]:
        """Headings whose section had text before and has none now (or is gone with it); a
        section renamed or moved keeps its text and is not blanked."""
        before = {s.heading: s.body.strip() for s in split_source(self.old_text)[1]}
        after = {s.heading: s.body.strip() for s in split_source(self.new_text)[1]}
        return [
            h
            for h, body in before.items()
            if body and not after.get(h, "") and body not in self.new_text
        ]

    @cached_property
    def account_age_days(self) -> float | None:
        if not (self.user and self.user.is_authenticated):
            return None
        return ((self.at or timezone.now()) - self.user.date_joined) / dt.timedelta(days=1)

    @cached_property
    def edit_count(self) -> int:
        if not (self.user and self.user.is_authenticated):
            return 0
        return Revision.objects.filter(user=self.user).count()

    @cached_property
    def group_names(self) -> set[str]:
        if not (self.user and self.user.is_authenticated):
            return set()
        return {name.lower() for name in self.user.groups.values_list("name", flat=True)}


@dataclass(frozen=True)
class RuleMatch:
    rule: AbuseRule
    matched: str  # what matched, in a few words, for the hit log


def _listed(value: str) -> list[str]:
    return [part.strip().lower() for part in value.split(",") if part.strip()]


MATCHES_TRIED = 50  # of one pattern in one edit, for `brought`


def _search_all(pattern: str, text: str, deadline: float):
    """What `pattern` finds in `text`, one after another (at most MATCHES_TRIED); OutOfTime
    past `deadline`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutOfTime
    try:
        found = regex.finditer(pattern, text[:SCREENED_CHARS], regex.IGNORECASE, timeout=remaining)
        for n, match in enumerate(found):
            if n == MATCHES_TRIED:
                return
            yield match.group(0)
    except TimeoutError:
        raise OutOfTime from None
    except regex.error:
        return


def _search(pattern: str, text: str, deadline: float) -> str | None:
    """The text `pattern` finds in `text`, or None; OutOfTime past `deadline`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OutOfTime
    try:
        found = regex.search(pattern, text[:SCREENED_CHARS], regex.IGNORECASE, timeout=remaining)
    except TimeoutError:
        raise OutOfTime from None
    except regex.error:  # refused by the admin's form; one saved otherwise matches nothing
        return None
    return found.group(0)[:80] if found else None


# Each condition: None when the rule does not set it, False when the edit fails it, else
# what matched (for the hit log). Cheap ones first; the edit count (a query) last.
def _interfaces(rule, facts, deadline):
    if not rule.interfaces:
        return None
    return facts.interface.lower() in _listed(rule.interfaces) and f"through {facts.interface}"


def _groups(rule, facts, deadline):
    if not rule.groups:
        return None
    return bool(facts.group_names & set(_listed(rule.groups))) and "in group"


def _category(rule, facts, deadline):
    if not rule.in_category:
        return None
    wanted = rule.in_category.strip().lower()
    return wanted in {c.lower() for c in facts.categories} and f"in {rule.in_category}"


def _account_age(rule, facts, deadline):
    if rule.max_account_age_days is None:
        return None
    age = facts.account_age_days
    return age is not None and age <= rule.max_account_age_days and f"account {age:.0f} days old"


def _removed_chars(rule, facts, deadline):
    if rule.min_removed_chars is None:
        return None
    removed = facts.removed_chars
    return removed >= rule.min_removed_chars and f"removes {removed} characters"


def _added_links(rule, facts, deadline):
    if rule.min_added_links is None:
        return None
    count = facts.added_link_count
    return count >= rule.min_added_links and f"adds {count} links"


def _references(rule, facts, deadline):
    if not rule.references_removed:
        return None
    gone = facts.references_removed
    return bool(gone) and "removes reference " + ", ".join(gone[:3])


def _blanked(rule, facts, deadline):
    if not rule.section_blanked:
        return None
    blanked = facts.blanked_sections
    return bool(blanked) and "blanks section “" + "”, “".join(blanked[:3]) + "”"


def _pattern(name: str, text_of, label: str, *, brought=None):
    """A condition on a regular expression. `brought(facts, found)`, when given, says whether
    the edit brought what was found (more of it after than before): the lines an edit changes
    hold text it did not write ("without a prescription" in a paragraph whose typo it fixed)."""

    def check(rule, facts, deadline):
        if not (pattern := getattr(rule, name)):
            return None
        if brought is None:
            found = _search(pattern, text_of(facts), deadline)
        else:
            found = next(
                (
                    f
                    for f in _search_all(pattern, text_of(facts), deadline)
                    if f and brought(facts, f)
                ),
                None,
            )
        return found is not None and f"{label} “{found[:80]}”"

    return check


def _added(facts: EditFacts, found: str) -> bool:
    return facts.new_text.count(found) > facts.old_text.count(found)


def _removed(facts: EditFacts, found: str) -> bool:
    return facts.old_text.count(found) > facts.new_text.count(found)


def _edit_count(rule, facts, deadline):
    if rule.max_edit_count is None:
        return None
    return facts.edit_count <= rule.max_edit_count and f"{facts.edit_count} edits"


CONDITIONS = (
    _interfaces,
    _groups,
    _category,
    _account_age,
    _removed_chars,
    _added_links,
    _references,
    _blanked,
    _pattern("title_regex", lambda facts: facts.title, "title"),
    _pattern("added_text_regex", lambda facts: facts.added_text, "added", brought=_added),
    _pattern("removed_text_regex", lambda facts: facts.removed_text, "removed", brought=_removed),
    _edit_count,
)


def rule_matches(rule: AbuseRule, facts: EditFacts, deadline: float) -> str | None:
    """What of the edit `rule` matched (every condition it sets holds), or None; a rule
    setting no condition matches nothing (the admin's form refuses one)."""
    said = []
    for condition in CONDITIONS:
        result = condition(rule, facts, deadline)
        if result is False:
            return None
        if result is not None:
            said.append(result)
    return "; ".join(said)[:500] if said else None


def matching_rules(facts: EditFacts, rules=None, *, budget: float | None = None) -> list[RuleMatch]:
    """The rules (by default the enabled ones) that match the edit. The whole set has
    WIKI_ABUSE_RULES_BUDGET_MS; a rule that runs out of it is skipped and logged."""
    if rules is None:
        rules = AbuseRule.objects.filter(enabled=True)
    if budget is None:
        budget = settings.WIKI_ABUSE_RULES_BUDGET_MS / 1000
    deadline = time.monotonic() + budget
    found = []
    for rule in rules:
        try:
            matched = rule_matches(rule, facts, deadline)
        except OutOfTime:
            logger.warning(
                "Abuse rule %r skipped on %r: out of the rules' time budget", rule.name, facts.title
            )
            continue
        if matched is not None:
            found.append(RuleMatch(rule, matched))
    return found
