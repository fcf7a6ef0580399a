"""Translating an article into another language of the site, and knowing when a translation's
source has moved on (issue 32, items 3 and 4).

A translation is made part by part (the lead, then each section): each part's source text is
shown beside a text box that starts as the source text with its wiki links carried over to the
target language's titles (`carry_links`: a linked article with a translation in that language
is named by its title there; the others stay as they are, red links in the new article).
References, the infobox and images are the source's own lines, left in the text: citation
data and file names are the same in every language. Saving goes through the edit door
(`editing.services.article_edit_submit`) as a new article of the target language; the new
article joins the source's translation group and records the source revision it was made from
(`Article.translated_from`).

The translation is outdated when its source has a newer revision than the one it was made
from or last marked brought up to date with (`Article.translated_up_to`); `outdated` says so
with the source's diff between the two, and `mark_current` records the new source revision.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from . import caching
from .editing.services import EditRequest, article_edit_submit
from .languages import default_language, url_in
from .models import Article, Link, Revision
from .rendering.links import WIKILINK
from .review.services import reviewed_revision_ids
from .services import ArticleEdit
from .sources import SourceSection, join_source, split_source
from .titles import InvalidTitle, title_to_slug, validate_title
from .translations import TranslationRefused, translation_link

LINK = re.compile(WIKILINK)


@dataclass(frozen=True)
class OfferedLink:
    """A wiki link of the source, as the target language has it: its title there, or None."""

    source_title: str
    target_title: str | None
    target_url: str


@dataclass(frozen=True)
class Part:
    """The lead (heading "") or one section of the source, and what its text box starts as."""

    heading: str
    level: int
    source: str
    offered: str
    links: list[OfferedLink]


def _link_targets(text: str) -> list[str]:
    """The article titles `[[links]]` of `text` name (not categories, files or other spaces)."""
    found = []
    for match in LINK.finditer(text):
        target = match.group(1).strip().removeprefix(":").partition("#")[0].strip()
        if not target or ":" in target:
            continue
        try:
            found.append(validate_title(target))
        except InvalidTitle:
            continue
    return list(dict.fromkeys(found))


def target_titles(titles, source_language: str, target_language: str) -> dict[str, str]:
    """{source title: its translation's title in `target_language`} for the titles whose
    article has one (through its translation group; a redirect is followed). Two queries."""
    slugs = {title_to_slug(t): t for t in titles}
    found = {}
    rows = Article.objects.filter(language=source_language, slug__in=list(slugs)).values_list(
        "slug", "translation_group_id", "redirect_to__translation_group_id"
    )
    group_of = {slug: own or via for slug, own, via in rows if own or via}
    if not group_of:
        return found
    in_target = dict(
        Article.objects.filter(
            language=target_language, translation_group_id__in=set(group_of.values())
        ).values_list("translation_group_id", "title")
    )
    for slug, group in group_of.items():
        if group in in_target:
            found[slugs[slug]] = in_target[group]
    return found


def carry_links(text: str, titles: dict[str, str]) -> str:
    """`text` with each `[[Title]]` or `[[Title|label]]` whose title is in `titles` naming
    the target language's title instead (its label, or the source title, kept as the words
    until the translator writes theirs)."""

    def carry(match):
        raw, label = match.group(1), match.group(2)
        target, hash_, anchor = raw.strip().partition("#")
        try:
            title = validate_title(target.strip())
        except InvalidTitle:
            return match.group(0)
        if title not in titles:
            return match.group(0)
        new = titles[title] + (hash_ + anchor if hash_ else "")
        return f"[[{new}|{label.strip()}]]" if label else f"[[{new}]]"

    return LINK.sub(carry, text)


def translation_parts(source: Article, target_language: str) -> list[Part]:
    """The source article's lead and sections, each with the text its box starts as."""
    lead, sections = split_source(source.source)
    parts = [("", 0, lead)] + [(s.heading, s.level, s.body) for s in sections]
    titles = target_titles(_link_targets(source.source), source.language, target_language)
    result = []
    for heading, level, text in parts:
        links = [
            OfferedLink(
                title,
                titles.get(title),
                url_in(
                    target_language, "wiki:article", args=[title_to_slug(titles.get(title, title))]
                ),
            )
            for title in _link_targets(text)
        ]
        result.append(Part(heading, level, text, carry_links(text, titles), links))
    return result


def _article_url(language: str, title: str) -> str:
    return url_in(language, "wiki:article", args=[title_to_slug(title)])


def translation_in(source: Article, language: str) -> Article | None:
    """The source's article in `language` (its group's), if there is one."""
    if source.language == language:
        return source
    if not source.translation_group_id:
        return None
    return Article.objects.filter(
        translation_group_id=source.translation_group_id, language=language
    ).first()


def translation_create(
    *,
    source: Article,
    language: str,
    title: str,
    parts: list[tuple[str, int, str]],
    source_revision_id: int,
    user,
    address: str = "",
    summary: str = "",
    captcha_solved: bool = False,
):
    """Save the translation as a new article of `language` through the edit door (which may
    refuse it, as it refuses any edit), in the source's group, made from `source_revision_id`.
    `parts`: (heading, level, text) of the lead ("", 0) and each section translated."""
    lead = parts[0][2] if parts else ""
    sections = [SourceSection(h, level, text) for h, level, text in parts[1:] if h.strip()]
    text = join_source(lead, sections)
    if translation_in(source, language) is not None:
        raise TranslationRefused("This article already has a translation in that language.")
    with translation.override(language), transaction.atomic():
        result = article_edit_submit(
            article=Article(title=title, language=language),
            request=EditRequest(
                edit=ArticleEdit(
                    text=text,
                    base_revision=None,
                    user=user,
                    summary=summary or f"Translated from [[:{source.language}:{source.title}]]",
                ),
                address=address,
                interface="new",
                captcha_solved=captcha_solved,
            ),
        )
        article = result.article
        made_from = Revision.objects.filter(pk=source_revision_id, article_id=source.pk).first()
        Article.objects.filter(pk=article.pk).update(
            translated_from=made_from or source.latest_revision_id
        )
        article.translated_from_id = made_from.pk if made_from else source.latest_revision_id
        translation_link(source, article, performer=user)
    return result


@dataclass(frozen=True)
class Outdated:
    """A translation whose source has moved on: the source, the revision the translation
    follows and the source's newest, and the diff between them."""

    source: Article
    since_id: int
    latest_id: int

    @property
    def diff_url(self) -> str:
        url = url_in(self.source.language, "wiki:diff", args=[self.source.slug])
        return f"{url}?from={self.since_id}&to={self.latest_id}"


def followed_revision_id(article: Article) -> int | None:
    """The source revision the translation is up to date with."""
    return article.translated_up_to_id or article.translated_from_id


def source_article(article: Article) -> Article | None:
    """The article a translation was made from (its recorded source revision's)."""
    followed = followed_revision_id(article)
    if followed is None:
        return None
    return Article.objects.filter(revisions__pk=followed).first()


def outdated(article: Article, source: Article | None = None) -> Outdated | None:
    """Whether the translation's source (`source`, when the caller has it) has a newer
    revision than the one it follows."""
    followed = followed_revision_id(article)
    if followed is None:
        return None
    source = source or source_article(article)
    if source is None or not source.latest_revision_id or source.latest_revision_id <= followed:
        return None
    return Outdated(source, followed, source.latest_revision_id)


def mark_current(article: Article) -> bool:
    """Record that the translation is brought up to date with its source's newest revision;
    False when it was not behind (nothing to record)."""
    source = source_article(article)
    if outdated(article, source) is None:
        return False
    Article.objects.filter(pk=article.pk).update(translated_up_to=source.latest_revision_id)
    article.translated_up_to_id = source.latest_revision_id
    return True


def made_from_reviewed(article: Article) -> bool:
    """The translation was made from a medically reviewed revision of its source."""
    source = article.translated_from_id
    return bool(source) and source in reviewed_revision_ids([source])


def outdated_translations(language: str, limit: int = 100):
    """The articles of `language` whose source moved on since, oldest first (the revision
    they follow; the site keeps no page-view counts)."""
    return (
        Article.objects.filter(language=language)
        .exclude(translated_from=None)
        .annotate(followed=Coalesce("translated_up_to_id", "translated_from_id"))
        .alias(source_latest=F("translated_from__article__latest_revision_id"))
        .filter(source_latest__gt=F("followed"))
        .select_related("translated_from")
        .order_by("followed", "title")[:limit]
    )


def untranslated(language: str, limit: int = 50):
    """The default language's articles with no translation in `language`, the most linked to
    first (the site keeps no page-view counts: links from other articles stand in for them)."""
    translated = Article.objects.filter(language=language).exclude(translation_group=None)
    incoming = (
        Link.objects.filter(source__language=default_language(), target_slug=OuterRef("slug"))
        .order_by()
        .values("target_slug")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Article.objects.filter(language=default_language())
        .not_talk_pages()
        .not_redirects()
        .exclude(slug__contains=":")
        .exclude(translation_group__in=translated.values("translation_group"))
        .annotate(linked=Coalesce(Subquery(incoming), 0))
        .order_by("-linked", "title")[:limit]
    )


def source_saved(sender, *, article, **kwargs) -> None:
    """`signals.article_saved`: when readers are told of outdated translations, the cached
    pages of the saved article's translations drop (their notice appears)."""
    if not settings.WIKI_SHOW_OUTDATED_TO_READERS or not article.translation_group_id:
        return
    pairs = set(
        Article.objects.filter(translation_group_id=article.translation_group_id)
        .exclude(pk=article.pk)
        .values_list("language", "slug")
    )
    if pairs:
        caching.invalidate_articles(pairs)
