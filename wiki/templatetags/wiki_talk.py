"""The Talk tab and the watch star of a page's tabs."""

from dataclasses import dataclass

from django import template

from ..models import Article
from ..titles import is_talk_title, subject_title_of, talk_title_of, title_to_slug
from ..watching.watches import is_watching

register = template.Library()


@dataclass
class PageTabs:
    subject_slug: str
    talk_slug: str
    on_talk: bool
    talk_exists: bool
    watching: bool


@register.simple_tag(takes_context=True)
def page_tabs(context, slug: str) -> PageTabs:
    """Where the Article and Talk tabs lead, whether the talk page has content (a red tab
    when not), and whether the reader watches the page."""
    title = slug.replace("_", " ")
    talk_slug = title_to_slug(talk_title_of(title))
    on_talk = is_talk_title(title)
    request = context.get("request")
    user = getattr(request, "user", None)
    article = context.get("article")
    # Loaded with the article by the views of `/wiki/<title>/…` (`article_urls`).
    known = getattr(article, "talk_page_exists", None) if article is not None else None
    if on_talk:
        talk_exists = article is not None or Article.objects.by_slug(talk_slug).exists()
    elif known is not None and article.slug == slug:
        talk_exists = known
    else:
        talk_exists = Article.objects.by_slug(talk_slug).exists()
    return PageTabs(
        subject_slug=title_to_slug(subject_title_of(title)),
        talk_slug=talk_slug,
        on_talk=on_talk,
        talk_exists=talk_exists,
        # The article and talk views know it already (marking the visit told them).
        watching=context["tabs_watching"]
        if "tabs_watching" in context
        else is_watching(user, title),
    )
