"""/sitemap.xml: an index of sitemap files listing every article, portal, category and site page.

Each language has its own (/es/sitemap.xml, its files /es/sitemap-articles.xml …), listing its
own articles, categories and portals; robots.txt names them all.

The articles and the categories are split by id: file p holds the rows whose id falls in
[(p - 1) × limit, p × limit), so no file has more than `limit` URLs (the protocol allows
50,000) and each is one range scan (on PostgreSQL of the partial index of content pages,
migration 0039, which holds their slugs and times of change), the last file as fast as the first
(Django's sitemap paginator counts every row and pages with OFFSET). The index lists the
ranges that hold at least one row, found by seeking the key from range to range; the first
of them is the bare address (`/sitemap-articles.xml`), the others `?p=N`. Files are
written out directly rather than through a template: Django's sitemap template renders each
URL through the template engine, which dominates a large file (bench/README.md). What is
left costs per URL, so it is kept to string joins: each address is reversed once per file
(`path_of`), a URL's <lastmod> day comes from the database as a date (reading 10,000
timestamps with their time zone took more time than the rest of the file), and the file's
Last-Modified, to the microsecond, is one aggregate over the same range of ids.
"""

from datetime import UTC, date, datetime
from html import escape as html_escape  # Django's escape, less its SafeString per URL

from django.db import connections
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control

from wiki.languages import content_language, default_language, path_of
from wiki.models import Article, Category, Portal

from .models import SitePage

MOST_PAGES = 2**63 // 10_000  # a ?p= past any id is a 404, not an overflow


class ArticleSitemap:
    limit = 10_000  # ids per file, so URLs per file at most

    def items(self):
        # no discussions, no redirects (even broken)
        return Article.objects.content_pages()

    def ids_from(self, low: int):
        """The ids of its rows from `low` on, in order."""
        return self.items().filter(pk__gte=low).order_by("pk").values_list("pk", flat=True)

    def first_id(self, low: int) -> int | None:
        return self.ids_from(low).first()

    def entries(self, low: int, high: int) -> list[tuple[str, date | None]]:
        """Each article's address and the day (UTC) of its last change."""
        path = path_of("wiki:article")
        rows = self.items().filter(pk__gte=low, pk__lt=high).order_by("pk")
        days = rows.annotate(day=TruncDate("updated_at", tzinfo=UTC)).values_list("slug", "day")
        return [(path(slug), day) for slug, day in days]

    def latest(self, low: int, high: int) -> datetime | None:
        """When the newest change among them was made: the file's Last-Modified."""
        rows = self.items().filter(pk__gte=low, pk__lt=high).order_by()
        return rows.aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap:
    """The categories that hold an article. Membership is asked one category at a time (an
    index probe each): as a join, PostgreSQL would read every membership of every category."""

    limit = 10_000

    def ids_from(self, low: int):
        """The ids of the categories that hold an article, from `low` on, in order (a category
        once per article it holds: only the first is ever read)."""
        members = Article.categories.through.objects.filter(
            category_id__gte=low, category__language=content_language()
        )
        return members.order_by("category_id").values_list("category_id", flat=True)

    def first_id(self, low: int) -> int | None:
        return self.ids_from(low).first()

    def latest(self, low: int, high: int) -> None:
        return None  # categories have no time of change

    def entries(self, low: int, high: int) -> list[tuple[str, None]]:
        path = path_of("wiki:category")
        members = Article.categories.through.objects.filter(category_id=OuterRef("pk"))
        rows = (
            Category.objects.in_language()
            .filter(pk__gte=low, pk__lt=high)
            .annotate(held=Exists(members))
            .order_by("pk")
            .values_list("name", "held")
        )
        return [(path(name.replace(" ", "_")), None) for name, held in rows if held]


class SiteSitemap:
    """The main page, the portals and the site pages (about, disclaimer …): one small file."""

    limit = None

    def paths(self) -> list[str]:
        # Site pages (about, disclaimer …) are the default language's.
        pages = SitePage.objects.all() if content_language() == default_language() else []
        return (
            [reverse("encyclopedia:home")]
            + [p.get_absolute_url() for p in Portal.objects.in_language().filter(link="")]
            + [p.get_absolute_url() for p in pages]
        )


SITEMAPS = {"articles": ArticleSitemap, "categories": CategorySitemap, "site": SiteSitemap}


SOUGHT = -(2**62)  # a stand-in for the id a seek starts from, replaced in the statement


def ranges_held(sitemap) -> list[int]:
    """The numbers (from 1) of the id ranges of `sitemap.limit` ids that hold at least one
    of its rows: one index seek per range held, however many rows, all in one statement (a
    recursive query: each seek starts at the range after the id the last one found). At a
    million articles the index seeks 100 ranges: made by the ORM one at a time they took
    105-115 ms, and one statement sent 100 times still 45 ms."""
    ids = sitemap.ids_from(SOUGHT)[:1]
    sql, params = ids.query.sql_with_params()
    at = params.index(SOUGHT)
    pieces = sql.split("%s")

    def seek(start: str) -> str:
        """The seek's statement with `start` (SQL) where it had the stand-in."""
        return (
            "".join(piece + (start if n == at else "%s") for n, piece in enumerate(pieces[:-1]))
            + pieces[-1]
        )

    others = [p for n, p in enumerate(params) if n != at]
    limit = int(sitemap.limit)
    statement = f"""
        WITH RECURSIVE held(low_id) AS (
            SELECT ({seek("0")})
            UNION ALL
            SELECT ({seek(f"(held.low_id / {limit} + 1) * {limit}")})
            FROM held WHERE held.low_id IS NOT NULL
        )
        SELECT low_id FROM held WHERE low_id IS NOT NULL
    """
    with connections[ids.db].cursor() as cursor:
        cursor.execute(statement, others + others)
        return [low_id // limit + 1 for (low_id,) in cursor.fetchall()]


def index(request):
    """The sitemap index: each section's files that hold a URL (the protocol wants at least
    one <url> in each file it lists; a new site has no categories yet)."""
    base = request.build_absolute_uri("/")[:-1]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name, cls in SITEMAPS.items():
        sitemap = cls()
        if sitemap.limit is None:
            pages = [1] if sitemap.paths() else []
        else:
            pages = ranges_held(sitemap)
        for page in pages:
            query = f"?p={page}" if page != pages[0] else ""  # the first: the bare address
            lines.append(f"<sitemap><loc>{escape(base)}/sitemap-{name}.xml{query}</loc></sitemap>")
    lines.append("</sitemapindex>\n")
    return HttpResponse("\n".join(lines), content_type="application/xml")


@cache_control(public=True, max_age=3600)
def section(request, section: str):
    """One file of one section: <urlset> with loc and lastmod of each URL."""
    if section not in SITEMAPS:
        raise Http404(gettext("No such sitemap."))
    sitemap = SITEMAPS[section]()
    raw = request.GET.get("p")
    if raw is not None and (not raw.isdigit() or not 1 <= int(raw) <= MOST_PAGES):
        raise Http404(gettext("No such sitemap page."))
    if raw is not None:
        page = int(raw)
    elif sitemap.limit is None:
        page = 1
    else:  # the bare address: the first range that holds a row
        first = sitemap.first_id(0)
        page = first // sitemap.limit + 1 if first is not None else 0
    latest = None
    if sitemap.limit is None:
        entries = [(path, None) for path in sitemap.paths()] if page == 1 else []
    else:
        low = (page - 1) * sitemap.limit
        entries = sitemap.entries(low, low + sitemap.limit)
        latest = sitemap.latest(low, low + sitemap.limit) if entries else None
    if not entries:
        raise Http404(gettext("No such sitemap page."))
    base = html_escape(f"{request.scheme}://{request.get_host()}")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for location, day in entries:
        when = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        lines.append(f"<url><loc>{base}{html_escape(location)}</loc>{when}</url>")
    lines.append("</urlset>\n")
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else {}
    return HttpResponse("\n".join(lines), content_type="application/xml", headers=headers)
