"""What an article page shows, assembled from stored HTML (nothing is rendered on a view)."""

from dataclasses import dataclass

from .models import Article, Credit, Link
from .rendering import mark_red_links, plain_text


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
    """Slugs linked from these articles that no article has (red links)."""
    targets = set(
        Link.objects.filter(source_id__in=article_ids).values_list("target_slug", flat=True)
    )
    # Two index lookups: a NOT IN over every article's slug gets slow on a large wiki.
    return targets - set(Article.objects.filter(slug__in=targets).values_list("slug", flat=True))


@dataclass
class ArticlePage:
    article: Article
    lead_html: str
    sections: list
    notes_html: str
    toc: list[TocEntry]
    categories: list
    credits: list


def with_link_state(article_id: int, lead_html: str, sections) -> tuple[str, list[TocEntry]]:
    """Mark red links (from the link table) in stored HTML and build the contents box: what
    both the current page and an old revision show. Sections are changed in place."""
    missing = missing_link_targets([article_id])
    for section in sections:
        section.html = mark_red_links(section.html, missing)
        section.heading_html = mark_red_links(section.heading_html, missing)
    toc = table_of_contents(sections) if len(sections) >= 3 else []
    return mark_red_links(lead_html, missing), toc


def article_page(article: Article) -> ArticlePage:
    sections = list(article.sections.all())
    lead_html, toc = with_link_state(article.pk, article.lead_html, sections)
    return ArticlePage(
        article=article,
        lead_html=lead_html,
        sections=sections,
        notes_html=article.notes_html,
        toc=toc,
        categories=list(article.categories.all()),
        credits=[
            c.contributor
            for c in Credit.objects.filter(article=article).select_related("contributor")
        ],
    )
