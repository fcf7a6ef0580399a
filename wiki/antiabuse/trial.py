"""Trying an abuse rule on the last saved edits before it is switched on (as AbuseFilter's
"test against recent changes"): which would it match? Nothing is acted on or logged."""

from dataclasses import dataclass

from ..models import Revision
from ..snapshots import load_snapshots
from .models import AbuseRule
from .rules import EditFacts, matching_rules

LONGEST_TRIAL = 500  # edits one trial may look at


@dataclass(frozen=True)
class TrialRow:
    revision: Revision
    matched: str


def rule_trial(rule: AbuseRule, *, last: int = 50) -> tuple[int, list[TrialRow]]:
    """(edits looked at, those `rule` matches) among the last `last` saved edits, newest
    first: each edit's text before and after it, its author; the interface is not recorded,
    so a rule limited to interfaces matches none."""
    revisions = list(
        Revision.objects.filter(kind__in=[Revision.Kind.CREATE, Revision.Kind.EDIT])
        .select_related("user", "article")
        .order_by("-revision_id")[: max(1, min(last, LONGEST_TRIAL))]
    )
    snapshots = load_snapshots(
        {r.pk for r in revisions} | {r.parent_id for r in revisions if r.parent_id}
    )
    found = []
    for revision in revisions:
        after = snapshots.get(revision.pk)
        if after is None:
            continue
        before = snapshots.get(revision.parent_id) if revision.parent_id else None
        facts = EditFacts(
            title=revision.title,
            old_text=before.source if before is not None else "",
            new_text=after.source,
            user=revision.user,
            categories=_categories(revision),
            at=revision.created_at,
        )
        if matches := matching_rules(facts, [rule]):
            found.append(TrialRow(revision, matches[0].matched))
    return len(revisions), found


def _categories(revision: Revision) -> list[str]:
    try:
        return list(revision.article.categories.values_list("name", flat=True))
    except Revision.article.RelatedObjectDoesNotExist:  # a deleted article's revision
        return []
