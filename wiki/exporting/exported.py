"""The wiki read for an export: articles a page at a time by primary key, each article's
revisions in chunks with their text from `snapshots.load_snapshots`, so an export holds one
chunk in memory, never the wiki."""

import datetime as dt
import ipaddress
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..editorial.revision_hiding import hidden_credits, public
from ..interlanguage import links_of
from ..languages import default_language
from ..models import Article, Credit, Revision
from ..snapshots import load_snapshots
from ..titles import title_to_slug

ARTICLE_CHUNK = 200
REVISION_CHUNK = 100


class MissingTitles(LookupError):
    """Titles asked for that name no article."""

    def __init__(self, titles: list[str]):
        super().__init__("No article has these titles: " + ", ".join(titles))
        self.titles = titles


@dataclass
class ExportReport:
    articles: int = 0
    revisions: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class CreditEntry:
    name: str
    credentials: str
    imported: bool


@dataclass(frozen=True)
class ExportedRevision:
    id: int
    parent_id: int | None
    timestamp: dt.datetime
    author: str | None  # the contributor's name (an imported IP author's is the address)
    author_id: int | None
    summary: str
    minor: bool
    kind: str
    title: str
    source: str
    category_ids: tuple[int, ...]
    redirect_to_id: int | None
    html: str = ""  # the HTML rendered when it was saved ("" if the snapshot has none)
    # What an administrator hid (`revision_hiding`): an export is public, so those are empty.
    hidden: tuple[str, ...] = ()

    @property
    def is_ip(self) -> bool:
        return is_ip_address(self.author)


@dataclass
class ExportedArticle:
    """One article as it is now; its revisions are read when asked for, a chunk at a time."""

    id: int
    title: str
    source: str
    categories: list[str]
    credits: list[CreditEntry]
    redirect_title: str | None
    latest_revision_id: int | None
    language: str = ""
    translation_group_id: int | None = None

    def interlanguage(self) -> list[tuple[str, str]]:
        """(language, title) of its articles in other languages (`wiki.interlanguage`)."""
        return links_of(self.id, self.translation_group_id)

    def revisions(self, *, history: bool = True) -> Iterator[ExportedRevision]:
        """Oldest first; without `history`, the current revision alone."""
        rows = (
            Revision.objects.filter(article_id=self.id)
            .select_related("contributor", "user")
            .order_by("pk")
        )
        if not history:
            rows = rows.filter(pk=self.latest_revision_id)
        last = 0
        while chunk := public(rows.filter(pk__gt=last)[:REVISION_CHUNK]):
            snapshots = load_snapshots([r.pk for r in chunk if r.text_readable])
            for row in chunk:
                snapshot = snapshots.get(row.pk)
                if snapshot is None and row.text_readable:  # no stored text: nothing to give
                    continue
                yield _exported_revision(row, snapshot)
            if len(chunk) < REVISION_CHUNK:  # the last chunk: spare the query that finds none
                return
            last = chunk[-1].pk


def _exported_revision(row: Revision, snapshot) -> ExportedRevision:
    """One revision as exported; `snapshot` is None when its text is hidden."""
    hidden = tuple(p for p in ("text", "summary", "author") if getattr(row.hidden, p))
    return ExportedRevision(
        id=row.pk,
        parent_id=row.parent_id,
        timestamp=row.created_at,
        author=_author(row),
        author_id=row.contributor_id,
        summary=row.summary,
        minor=row.minor,
        kind=row.kind,
        title=snapshot.title or row.title if snapshot else row.title,
        source=snapshot.source if snapshot else "",
        category_ids=tuple(snapshot.category_ids) if snapshot else (),
        redirect_to_id=snapshot.redirect_to_id if snapshot else None,
        html=stored_html(snapshot) if snapshot else "",
        hidden=hidden,
    )


def stored_html(snapshot) -> str:
    """The whole article's HTML as rendered at save time: the lead, each heading and its
    section, the footnotes. "" when the snapshot holds no HTML for a text that has some."""
    parts = [snapshot.lead_html]
    for section in snapshot.sections:
        level = min(max(section.level, 1), 6)
        parts.append(f"<h{level}>{section.heading_html}</h{level}>{section.html}")
    parts.append(snapshot.notes_html)
    html = "\n".join(p for p in parts if p)
    has_text = snapshot.lead.strip() or any(s.body.strip() for s in snapshot.sections)
    missing = has_text and not (snapshot.lead_html or any(s.html for s in snapshot.sections))
    return "" if missing or not all(s.heading_html for s in snapshot.sections) else html


def _author(row: Revision) -> str | None:
    if row.contributor is not None:
        return row.contributor.name
    if row.user is not None:
        return row.user.get_username()
    return None


def is_ip_address(name: str | None) -> bool:
    """Whether an author's name is an IPv4 or IPv6 address (an anonymous MediaWiki edit)."""
    try:
        ipaddress.ip_address((name or "").strip())
    except ValueError:
        return False
    return True


ARTICLE_PREFETCH = (
    "categories",
    Prefetch(
        "credits", queryset=Credit.objects.select_related("contributor").order_by("since", "pk")
    ),
)


def exported_article(article: Article) -> ExportedArticle:
    """The article's current state (prefetch ARTICLE_PREFETCH when reading many)."""
    source = article.source
    hidden = hidden_credits(article.pk)
    article.forget_sections()  # the rest of its chunk is still to come: hold the text alone
    return ExportedArticle(
        id=article.pk,
        title=article.title,
        source=source,
        categories=sorted(c.name for c in article.categories.all()),
        credits=[
            CreditEntry(c.contributor.name, c.contributor.credentials, c.imported)
            for c in article.credits.all()
            if c.contributor_id not in hidden
        ],
        redirect_title=article.redirect_to.title if article.redirect_to_id else None,
        latest_revision_id=article.latest_revision_id,
        language=article.language,
        translation_group_id=article.translation_group_id,
    )


def articles_to_export(
    titles: Iterable[str] | None = None, language: str | None = None
) -> Iterator[ExportedArticle]:
    """The chosen articles in the order given, or every article by id, a page of
    ARTICLE_CHUNK at a time; those of `language` alone when given (titles are looked up in
    it, else in the default language). Titles are checked at once: MissingTitles names any
    that do not exist before anything is written."""
    base = (
        Article.objects.select_related("redirect_to")
        .prefetch_related(*ARTICLE_PREFETCH)
        .order_by("pk")
    )
    if language:
        base = base.filter(language=language)
    if not titles:
        return _every_article(base)
    base = base.filter(language=language or default_language())
    wanted = list(dict.fromkeys(title_to_slug(t) for t in titles))
    found = dict(base.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [slug.replace("_", " ") for slug in wanted if slug not in found]
    if missing:
        raise MissingTitles(missing)
    return _chosen_articles(base, [found[slug] for slug in wanted])


def _chosen_articles(base, ids: list[int]) -> Iterator[ExportedArticle]:
    for start in range(0, len(ids), ARTICLE_CHUNK):
        chunk = ids[start : start + ARTICLE_CHUNK]
        by_id = {a.pk: a for a in base.filter(pk__in=chunk)}
        for pk in chunk:
            if pk in by_id:  # deleted meanwhile: nothing to export
                yield exported_article(by_id[pk])


def _every_article(base) -> Iterator[ExportedArticle]:
    last = 0
    while chunk := list(base.filter(pk__gt=last)[:ARTICLE_CHUNK]):
        for article in chunk:
            yield exported_article(article)
        if len(chunk) < ARTICLE_CHUNK:
            return
        last = chunk[-1].pk


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a Z, as MediaWiki writes times."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Names:
    """Category and article titles by id, fetched once each, for revisions' snapshots."""

    def __init__(self, model, field_name: str):
        self.model, self.field_name, self.known = model, field_name, {}

    def __call__(self, ids) -> list[str]:
        missing = [i for i in ids if i not in self.known]
        if missing:
            self.known.update(
                self.model.objects.filter(pk__in=missing).values_list("pk", self.field_name)
            )
            self.known.update({i: None for i in missing if i not in self.known})
        return [self.known[i] for i in ids if self.known[i] is not None]
