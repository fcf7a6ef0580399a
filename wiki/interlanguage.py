"""Interlanguage links (`[[es:Migraña]]`) of imported MediaWiki pages, as translation groups.

The converter takes them out of the text (`Conversion.interlanguage`); the importer gives each
page's newest list to `record`. A link to an article of another of the site's languages that
is here puts both in one translation group (`translations.translation_link`); any other (that
article not imported yet, or a language the site lacks) is kept as an `InterlanguageLink`
row, and `resolve_links_to` turns the rows naming an article into group links when it
arrives (its language's dump imported, in either order, or an editor creating it). The
MediaWiki export writes an article's links back (`links_of`): its group's other articles and
its rows for the languages the group lacks, as `[[es:Migraña]]` lines at the end of its text.
"""

from .languages import language_codes
from .models import Article, InterlanguageLink
from .titles import InvalidTitle, title_to_slug, validate_title
from .translations import TranslationRefused, translation_link


def record(article: Article, links: list[tuple[str, str]]) -> None:
    """The article's interlanguage links are `links` (its newest imported text's): linked
    where the other article is here, kept as rows otherwise; older rows replaced."""
    InterlanguageLink.objects.filter(article=article).delete()
    ours, rows, seen = set(language_codes()), [], set()
    for language, title in links:
        if language == article.language or language in seen:
            continue
        seen.add(language)
        try:
            title = validate_title(title)
        except InvalidTitle:
            continue
        slug = title_to_slug(title)
        if language in ours and _link(article, _article(language, slug)):
            continue
        rows.append(InterlanguageLink(article=article, language=language, title=title, slug=slug))
    InterlanguageLink.objects.bulk_create(rows)


def resolve_links_to(article: Article) -> None:
    """Rows of other articles naming this one become group links (and go)."""
    if article.redirect_to_id:
        return
    rows = InterlanguageLink.objects.filter(language=article.language, slug=article.slug)
    for row in rows.select_related("article"):
        if _link(row.article, article):
            row.delete()


def _article(language: str, slug: str) -> Article | None:
    found = Article.objects.by_slug(slug, language).first()
    if found is not None and found.redirect_to_id:  # a redirect: the article it names
        found = Article.objects.filter(pk=found.redirect_to_id, language=language).first()
    return found


def _link(article: Article, other: Article | None) -> bool:
    """Linked (or already one group); False when the link cannot be made (a group that has
    another article of that language: the editors' choice stands)."""
    if other is None or other.redirect_to_id or article.redirect_to_id:
        return False
    if article.translation_group_id and article.translation_group_id == (
        other.translation_group_id
    ):
        return True
    try:
        translation_link(article, other)
    except TranslationRefused:
        return False
    return True


def links_of(article_id: int, group_id: int | None) -> list[tuple[str, str]]:
    """(language, title) of the article's interlanguage links, by language code: its group's
    (`group_id`) other articles, then its rows for languages the group lacks."""
    links = {}
    if group_id:
        links = dict(
            Article.objects.filter(translation_group_id=group_id)
            .exclude(pk=article_id)
            .values_list("language", "title")
        )
    for language, title in InterlanguageLink.objects.filter(article_id=article_id).values_list(
        "language", "title"
    ):
        links.setdefault(language, title)
    return sorted(links.items())
