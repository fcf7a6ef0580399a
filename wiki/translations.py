"""Translation groups: the articles about one subject in different languages, one per language
(Migraine, Migraña, صداع نصفي). Each lists the others in its language menu, its head
(`hreflang` alternates) and its JSON-LD (`workTranslation`, `translationOfWork`).

The group hangs on the articles' ids, so a move keeps it as it is; a deleted article leaves
it (`group_tidy`: a group of one is no group); a page that becomes a redirect (a merge) hands
its place to the article it now redirects to, when that one has no group of its own. Every
change drops the cached pages of the group's articles: their menus changed. Linking and
unlinking are announced (`signals.translations_changed`) for the public log.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from . import caching, signals
from .languages import language_codes, language_name
from .models import Article, TranslationGroup
from .permissions import can_edit


class TranslationRefused(Exception):
    """The link cannot be made; the message says why, in the editor's words."""


@dataclass(frozen=True)
class Translation:
    """One other language's article, as a language menu shows it."""

    language: str
    name: str  # the language's name in that language
    title: str
    url: str


def translations_of(article: Article) -> list[Translation]:
    """The group's other articles, in the order of the site's languages (one query)."""
    if not article.translation_group_id:
        return []
    others = (
        Article.objects.filter(translation_group_id=article.translation_group_id)
        .exclude(pk=article.pk)
        .only("title", "slug", "language")
    )
    found = [
        Translation(a.language, language_name(a.language), a.title, a.get_absolute_url())
        for a in others
    ]
    order = {code: i for i, code in enumerate(language_codes())}
    return sorted(found, key=lambda t: (order.get(t.language, len(order)), t.language))


def translation_link(
    article: Article, other: Article, *, user=None, performer=None
) -> TranslationGroup:
    """Put `article` and `other` (of another language) in one group: the group of either, the
    two groups merged when both have one; refused when a language would have two articles, or
    when `user` (a person asking; None: the importer, the translation view's new article) may
    not edit both, since both pages' language menus change. The log names `user`, or
    `performer` when the caller checked who asks itself (None: the system)."""
    if user is not None and not (can_edit(user, article) and can_edit(user, other)):
        raise TranslationRefused(gettext("You may not edit “%(title)s”.") % {"title": other.title})
    if article.pk == other.pk or article.language == other.language:
        raise TranslationRefused(gettext("A translation is an article of another language."))
    if article.redirect_to_id or other.redirect_to_id:
        raise TranslationRefused(
            gettext("A redirect is not a translation: link the article it names.")
        )
    with transaction.atomic():
        pks = [article.pk, other.pk]
        groups = set(
            Article.objects.select_for_update()
            .filter(pk__in=pks)
            .exclude(translation_group=None)
            .values_list("translation_group_id", flat=True)
        )
        members = list(
            Article.objects.filter(translation_group_id__in=groups).values_list("pk", "language")
        )
        members = dict(members) | {article.pk: article.language, other.pk: other.language}
        if len(set(members.values())) < len(members):
            raise TranslationRefused(
                gettext(
                    "Its group already has an article in one of these languages: unlink that first."
                )
            )
        group = (
            TranslationGroup.objects.filter(pk__in=groups).order_by("pk").first()
            or TranslationGroup.objects.create()
        )
        Article.objects.filter(pk__in=list(members)).update(translation_group=group)
        TranslationGroup.objects.filter(pk__in=groups - {group.pk}).delete()
        article.translation_group = other.translation_group = group
        _forget(group.pk)
        signals.translations_changed.send(
            sender=Article,
            action="link",
            article=article,
            others=[other],
            performer=user or performer,
        )
    return group


def translation_unlink(article: Article, *, user=None) -> None:
    """Take `article` out of its group (the group goes when one article is left); the log
    names `user` (None: the system)."""
    group_id = article.translation_group_id
    if group_id is None:
        return
    with transaction.atomic():
        others = list(
            Article.objects.filter(translation_group_id=group_id)
            .exclude(pk=article.pk)
            .only("title", "language")
        )
        _forget(group_id, also=[article])
        Article.objects.filter(pk=article.pk).update(translation_group=None)
        article.translation_group = None
        group_tidy(group_id)
        signals.translations_changed.send(
            sender=Article, action="unlink", article=article, others=others, performer=user
        )


def group_tidy(group_id: int | None) -> None:
    """A group left with one article (or none) is no group: deleted, its last article freed."""
    if group_id is None:
        return
    left = list(Article.objects.filter(translation_group_id=group_id).values_list("pk", flat=True))
    if len(left) <= 1:
        Article.objects.filter(pk__in=left).update(translation_group=None)
        TranslationGroup.objects.filter(pk=group_id).delete()


def article_left(article: Article) -> None:
    """The write path's call when an article was deleted or became a redirect: it leaves its
    group; a redirect (a merge into its target) hands its place to its target when the target
    has no group and is of the same language."""
    group_id = article.translation_group_id
    if group_id is None:
        return
    _forget(group_id, also=[article])
    target = None
    if article.redirect_to_id and not article._state.adding:
        target = Article.objects.filter(
            pk=article.redirect_to_id, translation_group=None, language=article.language
        ).first()
    Article.objects.filter(pk=article.pk).update(translation_group=None)
    article.translation_group = None
    if target is not None:
        Article.objects.filter(pk=target.pk).update(translation_group_id=group_id)
        caching.invalidate_article(target)
    group_tidy(group_id)


def _forget(group_id: int, also=()) -> None:
    """The group's articles show each other: drop their cached pages."""
    pairs = set(
        Article.objects.filter(translation_group_id=group_id).values_list("language", "slug")
    )
    pairs |= {(a.language, a.slug) for a in also}
    caching.invalidate_articles(pairs)
