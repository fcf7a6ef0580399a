"""Redirect pages: a source whose first line is `#REDIRECT [[Target]]` (or
`[[Target#Section]]`) sends readers to the target. The write path points `redirect_to` at the
target from that line; these lookups list what needs mending."""

from .models import MAY_BE_BROKEN_REDIRECT, Article
from .rendering import REDIRECT_LINE
from .titles import InvalidTitle, title_to_slug, validate_title


def redirect_line(source: str) -> tuple[str, str] | None:
    """The (title, section) the source's redirect line names, or None for an ordinary page."""
    first = next((line for line in source.splitlines() if line.strip()), "")
    if not (match := REDIRECT_LINE.match(first)):
        return None
    target = match.group(1)[2:-2].split("|", 1)[0]
    title, _, section = target.partition("#")
    return title.strip(), section.strip()


def redirect_source(title: str) -> str:
    """The whole source of a page that redirects to `title`."""
    return f"#REDIRECT [[{title}]]\n"


def target_slug(title: str) -> str | None:
    try:
        return title_to_slug(validate_title(title))
    except InvalidTitle:
        return None


def resolve_target(article: Article, said: tuple[str, str] | None) -> int | None:
    """The id of the article a redirect line points at: None when the line names no existing
    article, or the page itself."""
    if said is None or not (slug := target_slug(said[0])):
        return None
    target = Article.objects.by_slug(slug, article.language).values_list("pk", flat=True).first()
    return None if target == article.pk else target


def point_waiting_redirects(article: Article) -> None:
    """Redirects whose line names this (new or undeleted) article's title, broken until now,
    point at it."""
    waiting = (
        Article.objects.in_language(article.language)
        .filter(
            redirect_to=None, outgoing_links__target_slug=article.slug, lead__icontains="#redirect"
        )
        .exclude(pk=article.pk)
    )
    for page in waiting.only("pk", "lead"):
        said = redirect_line(page.lead)
        if said and target_slug(said[0]) == article.slug:
            Article.objects.filter(pk=page.pk).update(redirect_to=article)


def section_of(article: Article) -> str:
    """The section a redirect page sends readers to ("" for the top of the page)."""
    said = redirect_line(article.lead)
    return said[1] if said else ""


def double_redirects():
    """Redirects to a page that is itself a redirect (readers stop at the second): marked by
    the database (`Article.double_redirect`), in the same transaction as any change of
    either page, so a marked page's two hops are there in the same read."""
    return Article.objects.filter(double_redirect=True).select_related("redirect_to__redirect_to")


def broken_redirect_candidates():
    """Pages with no target whose text may start with a redirect line; `is_broken_redirect`
    keeps the ones that do (a line in the middle of the text is no redirect)."""
    return Article.objects.filter(MAY_BE_BROKEN_REDIRECT).only("pk", "title", "slug", "lead")


def is_broken_redirect(article: Article) -> bool:
    """A redirect page whose target is not an article."""
    return redirect_line(article.lead) is not None
