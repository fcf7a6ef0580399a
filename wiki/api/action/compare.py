"""action=compare, and prop=revisions' rvdiffto: the difference of two revisions' texts as
the table rows MediaWiki's diff engine writes (`<tr>` with diff-deletedline, diff-addedline
and diff-context cells), in MediaWiki 1.39's shapes."""

import difflib
from html import escape

from ...editorial.revision_hiding import shown_to
from ...models import Article, Revision
from ...snapshots import load_snapshots
from ...titles import InvalidTitle, validate_title
from .params import Failure, Params

ADDED = '<td class="diff-marker" data-marker="+"></td><td class="diff-addedline"><div>{}</div></td>'
DELETED = (
    '<td class="diff-marker" data-marker="−"></td><td class="diff-deletedline"><div>{}</div></td>'
)
EMPTY = '<td colspan="2" class="diff-empty diff-side-{}"></td>'
CONTEXT = '<td class="diff-marker"></td><td class="diff-context"><div>{}</div></td>'


def _row(left: str, right: str) -> str:
    return f"<tr>{left}{right}</tr>\n"


def diff_rows(old: str, new: str) -> str:
    """Side-by-side rows of the changed lines (and one line of context around them)."""
    a, b = old.splitlines(), new.splitlines()
    rows = []
    for group in difflib.SequenceMatcher(None, a, b).get_grouped_opcodes(1):
        first = group[0]
        rows.append(
            _row(
                f'<td colspan="2" class="diff-lineno">Line {first[1] + 1}:</td>',
                f'<td colspan="2" class="diff-lineno">Line {first[3] + 1}:</td>',
            )
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [
                    _row(CONTEXT.format(escape(x)), CONTEXT.format(escape(x))) for x in a[i1:i2]
                ]
                continue
            olds, news = a[i1:i2], b[j1:j2]
            for n in range(max(len(olds), len(news))):
                left = DELETED.format(escape(olds[n])) if n < len(olds) else EMPTY.format("deleted")
                right = ADDED.format(escape(news[n])) if n < len(news) else EMPTY.format("added")
                rows.append(_row(left, right))
    return "".join(rows)


def _revision_of(p: Params, side: str) -> Revision:
    """fromrev/torev, fromid/toid (the page's latest) or fromtitle/totitle."""
    if (revid := p.int(f"{side}rev")) is not None:
        found = Revision.objects.filter(pk=revid).first()
        if found is None:
            raise Failure("nosuchrevid", f"There is no revision with ID {revid}.")
        return found
    article = None
    if (pageid := p.int(f"{side}id")) is not None:
        article = Article.objects.filter(pk=pageid).first()
        if article is None:
            raise Failure("nosuchpageid", f"There is no page with ID {pageid}.")
    elif raw := p.get(f"{side}title"):
        try:
            article = Article.objects.by_title(validate_title(raw)).first()
        except InvalidTitle:
            raise Failure("invalidtitle", f'Bad title "{raw}".') from None
        if article is None:
            raise Failure("missingtitle", "The page you specified doesn't exist.")
    else:
        names = f'"{side}title", "{side}id" and "{side}rev"'
        raise Failure("missingparam", f"At least one of the parameters {names} is required.")
    return Revision.objects.get(pk=article.latest_revision_id)


def _relative(p: Params, base: Revision) -> Revision:
    """torelative=prev|next|cur, from the `from` revision."""
    history = Revision.objects.filter(article_id=base.article_id)
    which = p.get("torelative")
    found = {
        "prev": history.filter(pk__lt=base.pk).order_by("-pk").first(),
        "next": history.filter(pk__gt=base.pk).order_by("pk").first(),
        "cur": history.order_by("-pk").first(),
    }.get(which)
    if found is None:
        raise Failure("baddiff", "The diff cannot be retrieved: one revision does not exist.")
    return found


def texts_of(user, revisions: list[Revision]) -> dict[int, str]:
    readable = [r.pk for r in shown_to(user, revisions) if r.text_readable]
    if len(readable) < len({r.pk for r in revisions}):
        raise Failure("missingcontent", "The text of a revision is hidden.")
    return {pk: snap.source for pk, snap in load_snapshots(readable).items()}


def _side(out: dict, side: str, info: Revision) -> None:
    out[f"{side}id"] = info.article_id
    out[f"{side}revid"] = info.pk
    out[f"{side}ns"] = 0
    out[f"{side}title"] = info.title


def action_compare(request, p: Params) -> dict:
    old = _revision_of(p, "from")
    new = _relative(p, old) if p.get("torelative") else _revision_of(p, "to")
    texts = texts_of(request.user, [old, new])
    out: dict = {}
    _side(out, "from", old)
    _side(out, "to", new)
    p.named(out, "body", diff_rows(texts.get(old.pk, ""), texts.get(new.pk, "")))
    return {"compare": out}
