"""Disclosures of competing interests: a contributor declares them (a statement, or "none
declared", and the categories they conflict with); every change is kept, dated.

A reviewer's disclosure meets their reviews in `conflicts_with`: `mark_reviewed` refuses a
review of an article in a category they declared a conflict with, or records the conflict to
show beside the review, as the site's `WIKI_REVIEW_CONFLICT_POLICY` says.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Article, Category, Contributor
from ..services import contributor_for
from .models import Disclosure, Review

MAX_STATEMENT = 4000
# How far up a category's parents a declared conflict reaches (a loop in the tree ends here).
MAX_CATEGORY_DEPTH = 20

REFUSE, SHOW = "refuse", "show"


class DisclosureRefused(Exception):
    """Why this disclosure was not recorded (the message is for the person declaring)."""


def disclosure_declare(
    *, user, none_declared: bool, statement: str = "", conflicts=()
) -> Disclosure:
    """Record `user`'s disclosure as of now: "none declared", or a statement with the
    categories it conflicts with. The same as the current one records nothing."""
    if user is None or not user.is_authenticated:
        raise DisclosureRefused(gettext("Sign in to declare your competing interests."))
    statement = (statement or "").replace("\r\n", "\n").strip()
    conflicts = sorted(set(conflicts), key=lambda c: c.name)
    if none_declared and (statement or conflicts):
        raise DisclosureRefused(
            gettext("Choose either “none declared” or a statement of your interests, not both.")
        )
    if not none_declared and not statement:
        raise DisclosureRefused(
            gettext(
                "Describe your competing interests, or choose “none declared” when you have none."
            )
        )
    if len(statement) > MAX_STATEMENT:
        raise DisclosureRefused(
            gettext("A disclosure has at most %(count)s characters.") % {"count": MAX_STATEMENT}
        )
    with transaction.atomic():
        person = contributor_for(user)
        Contributor.objects.select_for_update().filter(pk=person.pk).first()  # one at a time
        current = current_disclosure(person)
        if current is not None and _same(current, none_declared, statement, conflicts):
            return current
        disclosure = Disclosure.objects.create(
            contributor=person,
            none_declared=none_declared,
            statement=statement,
            declared_by=user,
            created_at=timezone.now(),
        )
        disclosure.conflicts.set(conflicts)
    return disclosure


def _same(current: Disclosure, none_declared: bool, statement: str, conflicts) -> bool:
    return (
        current.none_declared == none_declared
        and current.statement == statement
        and {c.pk for c in current.conflicts.all()} == {c.pk for c in conflicts}
    )


def current_disclosure(person: Contributor | None) -> Disclosure | None:
    """The contributor's disclosure now (their newest); None when none is on file."""
    if person is None or person.pk is None:
        return None
    return (
        Disclosure.objects.filter(contributor=person)
        .prefetch_related("conflicts")
        .order_by("-created_at", "-pk")
        .first()
    )


def disclosure_history(person: Contributor):
    """Every disclosure the contributor made, the newest (the current one) first."""
    return (
        Disclosure.objects.filter(contributor=person)
        .prefetch_related("conflicts")
        .order_by("-created_at", "-pk")
    )


def declared_categories(text: str) -> tuple[list[Category], list[str]]:
    """The categories a form names (comma-separated, "_" as a space), and the names no
    category has."""
    names = [" ".join(n.replace("_", " ").split()) for n in (text or "").split(",")]
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return [], []
    any_case = reduce(operator.or_, (Q(name__iexact=n) for n in names))
    found = {c.name.casefold(): c for c in Category.objects.filter(any_case).order_by("pk")}
    missing = [n for n in names if n.casefold() not in found]
    return [found[n.casefold()] for n in names if n.casefold() in found], missing


def _with_parents(categories) -> dict[int, Category]:
    """The categories and every category above them."""
    reached = {c.pk: c for c in categories}
    layer = [c.parent_id for c in categories if c.parent_id]
    for _ in range(MAX_CATEGORY_DEPTH):
        layer = [pk for pk in layer if pk not in reached]
        if not layer:
            break
        parents = list(Category.objects.filter(pk__in=layer))
        reached.update({c.pk: c for c in parents})
        layer = [c.parent_id for c in parents if c.parent_id]
    return reached


def conflicts_with(disclosure: Disclosure | None, article: Article) -> list[Category]:
    """The categories of the disclosure that the article is in, itself or through a
    subcategory (a conflict with "Drugs" covers "Antibiotics" under it)."""
    if disclosure is None or disclosure.none_declared:
        return []
    declared = {c.pk: c for c in disclosure.conflicts.all()}
    if not declared:
        return []
    reached = _with_parents(list(article.categories.all()))
    return sorted((declared[pk] for pk in declared.keys() & reached.keys()), key=lambda c: c.name)


def conflict_policy() -> str:
    """`refuse`: a reviewer cannot review an article in a category they declared a conflict
    with; `show`: the review is made and the conflict shown beside it."""
    return settings.WIKI_REVIEW_CONFLICT_POLICY


def conflict_refusal(categories: list[Category]) -> str:
    names = ", ".join(f"“{c.name}”" for c in categories)
    return gettext(
        "Your disclosure declares a competing interest in %(names)s, and this article is filed "
        "there: under this site's policy another reviewer must review it."
    ) % {"names": names}


def reviewers_of(article: Article) -> list[Review]:
    """The latest review by each person who reviewed the article, the newest first."""
    seen, latest = set(), []
    reviews = (
        Review.objects.filter(article_id=article.pk)
        .select_related("contributor")
        .order_by("-created_at", "-pk")
    )
    for review in reviews:
        key = review.contributor_id or review.reviewer_name
        if key not in seen:
            seen.add(key)
            latest.append(review)
    return latest
