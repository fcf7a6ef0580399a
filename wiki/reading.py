"""What an article page shows, assembled from stored HTML (no Markdown is rendered on a view)."""

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string

from . import caching
from .editorial.revision_hiding import shown_credits
from .excerpts import cut, excerpt, lead_prose
from .media.figures import fill_figures_in
from .models import Article, Link
from .rendering import mark_red_links, plain_text
from .retractions.services import CitedNotices, mark_source_notices
from .snapshots import fill_rendering, load_snapshots

FIRST_IMAGE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')
# A sentence ends at . ! or ? followed by a space and what starts the next one.
SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-Z0-9"“‘(\[])')
EXTRACT_SENTENCES = 3  # the first sentences of the lead a page preview shows…
EXTRACT_LENGTH = 400  # …at most this many characters, cut between words


@dataclass
class TocEntry:
    number: str
    anchor: str
    text: str
    level: int


def table_of_contents(sections) -> list[TocEntry]:
    """MediaWiki numbering: 1, 1.1, 1.2, 2 … nested by heading level."""
    entries, stack = [], []  # stack of [level, count]
    for section in sections:
        while stack and stack[-1][0] > section.level:
            stack.pop()
        if stack and stack[-1][0] == section.level:
            stack[-1][1] += 1
        else:
            stack.append([section.level, 1])
        number = ".".join(str(count) for _, count in stack)
        entries.append(
            TocEntry(number, section.anchor, plain_text(section.heading_html), len(stack))
        )
    return entries


def missing_link_targets(article_ids) -> set[str]:
    """Slugs linked from these articles that no article has (red links): one query, an
    index probe of (language, slug) per link."""
    linked = Article.objects.by_slug(OuterRef("target_slug"))
    links = Link.objects.filter(source_id__in=article_ids).exclude(Exists(linked))
    return set(links.values_list("target_slug", flat=True))


def missing_slugs(slugs) -> set[str]:
    """Those of `slugs` that no article has."""
    slugs = set(slugs)
    # Two index lookups: a NOT IN over every article's slug gets slow on a large wiki.
    return slugs - set(Article.objects.by_slugs(slugs).values_list("slug", flat=True))


def with_link_state(article_id: int, lead_html: str, sections) -> tuple[str, list[TocEntry]]:
    """Mark red links (from the link table) in stored HTML, fill in its figures and build the
    contents box: what both the current page and an old revision show. Sections are changed
    in place."""
    lead_html, toc, _ = with_page_state(article_id, lead_html, sections)
    return lead_html, toc


def with_page_state(article_id: int, lead_html: str, sections):
    """`with_link_state`, and the media files the page shows (for its image credits)."""
    missing = missing_link_targets([article_id])
    for section in sections:
        section.html = mark_red_links(section.html, missing)
        section.heading_html = mark_red_links(section.heading_html, missing)
    toc = table_of_contents(sections) if len(sections) >= 3 else []
    parts, shown = fill_figures_in([lead_html] + [s.html for s in sections])
    for section, html in zip(sections, parts[1:], strict=True):
        section.html = html
    return mark_red_links(parts[0], missing), toc, shown


@dataclass
class ArticlePage:
    """The part of an article page that depends on the article alone, rendered: kept in the
    cache until the article changes, a page it links to appears or vanishes, or the site
    generation moves (see `caching`). Only the skin around it is rendered on each view."""

    revision_id: int | None
    content: str  # lead, sections, notes and categories, as HTML
    description: str  # the lead's prose, cut short (meta description, OpenGraph)
    image: str  # the first image's address, or ""
    categories: list
    credits: list
    image_credits: list = field(default_factory=list)  # of the media files it shows
    # How many of its references retractions, concerns and corrections touch (marked in them).
    sources: CitedNotices = field(default_factory=CitedNotices)
    # The contents box's entries: the skin shows them in a sidebar beside the text.
    toc: list = field(default_factory=list)
    extract: str = ""  # the lead's first sentences, plain text (page previews)
    image_alt: str = ""  # the first image's alt text


@dataclass(frozen=True)
class ImageCredit:
    name: str
    url: str
    author: str
    license: str


def first_image(*htmls: str) -> tuple[str, str]:
    """The address and alt text of the first image of these parts of a page, or ("", "")."""
    for html in htmls:
        if tag := IMAGE_TAG.search(html or ""):
            if src := FIRST_IMAGE.search(tag.group(0)):
                alt = ALT.search(tag.group(0))
                return html_unescape(src.group(1)), html_unescape(alt.group(1) if alt else "")
    return "", ""


def lead_extract(lead_html: str) -> str:
    """The first sentences of the lead's prose, as plain text: what a page preview shows."""
    sentences = SENTENCE_END.split(lead_prose(lead_html))
    text = ""
    for sentence in sentences[:EXTRACT_SENTENCES]:
        if text and len(text) + 1 + len(sentence) > EXTRACT_LENGTH:
            break
        text = f"{text} {sentence}" if text else sentence
    return cut(text, EXTRACT_LENGTH)


def article_page(article: Article) -> ArticlePage:
    key = caching.article_key(article.slug, article.language)
    page = cache.get(key)
    if page is None or page.revision_id != article.latest_revision_id:
        page = _assemble(article)
        cache.set(key, page, caching.PAGE_TIMEOUT)
    return page


def reviewed_article_page(article: Article) -> ArticlePage | None:
    """The page as it was at its stable revision (the newest of at least the site's
    `WIKI_STABLE_LEVEL`: what readers see while newer edits await review), from that
    revision's snapshot, cached as `article_page` is; None if it is unreadable."""
    key = caching.reviewed_article_key(article.slug, article.language)
    page = cache.get(key)
    if page is None or page.revision_id != article.stable_revision_id:
        page = _assemble_reviewed(article)
        if page is not None:
            cache.set(key, page, caching.PAGE_TIMEOUT)
    return page


def _assemble_reviewed(article: Article) -> ArticlePage | None:
    stable = article.stable_revision_id
    snapshot = load_snapshots([stable]).get(stable)
    if snapshot is None:
        return None
    fill_rendering(snapshot)
    return _assemble(
        article,
        lead_html=snapshot.lead_html,
        sections=snapshot.sections,
        notes_html=snapshot.notes_html,
        revision_id=snapshot.revision_id,
    )


def _assemble(
    article: Article, *, lead_html=None, sections=None, notes_html=None, revision_id=None
) -> ArticlePage:
    """The current page, or with the parts of another revision given."""
    if sections is None:
        sections = list(article.sections.defer("body"))  # its Markdown: not shown
        lead_html, notes_html = article.lead_html, article.notes_html
        revision_id = article.latest_revision_id
    lead_html, toc, shown = with_page_state(article.pk, lead_html, sections)
    categories = list(article.categories.all())
    credits = [c.contributor for c in shown_credits(article.pk).select_related("contributor")]
    # References to retracted or corrected papers are marked: retired when a finding changes.
    content, sources = mark_source_notices(
        render_to_string(
            "wiki/includes/article_content.html",
            {
                "article": article,
                "lead_html": lead_html,
                "sections": sections,
                "notes_html": notes_html,
                "categories": categories,
            },
        )
    )
    image, image_alt = first_image(lead_html, *(s.html for s in sections))
    return ArticlePage(
        revision_id=revision_id,
        content=content,
        description=excerpt(lead_html) or article.title,
        image=image,
        image_alt=image_alt,
        extract=lead_extract(lead_html),
        categories=categories,
        credits=credits,
        image_credits=[
            ImageCredit(m.name, m.get_absolute_url(), m.author, m.get_license_display())
            for m in shown
        ],
        sources=sources,
        toc=toc,
    )


def review_words(review, shown_review, checked) -> dict:
    """The review state of the text shown, as a page preview says it: `state` is "reviewed"
    (this text was medically reviewed), "changed" (an earlier text was), "checked" (an editor
    checked this text; no medical review) or "unreviewed"."""
    if shown_review is not None:
        mark, state = shown_review, "reviewed"
    elif checked is not None:
        mark, state = checked, "checked"
    elif review.review is not None:
        mark, state = review.review, "changed"
    else:
        return {"state": "unreviewed", "by": "", "on": None}
    return {"state": state, "by": mark.reviewer_display, "on": mark.created_at.date().isoformat()}


def page_summary(article, page: ArticlePage, *, absolute, review, shown_review, checked) -> dict:
    """What a page preview shows of an article (`/wiki/<title>/summary`); `absolute` makes
    a path a full address."""
    image = {"url": absolute(page.image), "alt": page.image_alt} if page.image else None
    return {
        "title": article.title,
        "url": absolute(article.get_absolute_url()),
        "extract": page.extract,
        "image": image,
        "review": review_words(review, shown_review, checked),
        "revision": page.revision_id,
        "lang": "en",
    }
