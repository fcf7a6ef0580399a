"""/sitemap.xml: an index of sitemap pages listing every article, portal, category and site page.

Each section is split into pages of `limit` URLs (Django's sitemap index lists them as
?p=2, ?p=3 …), so a site of any size stays within the 50,000-URL limit per file. A section
page is written out directly rather than through a template: Django's sitemap template
renders each URL through the template engine, which dominates a large page (bench/README.md).
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.cache import cache_control

from wiki.models import Article, Category, Portal

from .models import SitePage


class ArticleSitemap(Sitemap):
    limit = 10_000
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Article.objects.content_pages()  # no discussions, no redirects (even broken)
            .order_by("pk")
            .only("slug", "updated_at")
        )

    def lastmod(self, article):
        return article.updated_at

    def location(self, article):
        return iri_to_uri(article.get_absolute_url())

    def get_latest_lastmod(self):
        """One aggregate instead of Django's default of loading every article."""
        return Article.objects.content_pages().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(Sitemap):
    limit = 10_000
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Category.objects.filter(articles__isnull=False).distinct().order_by("name")


class SiteSitemap(Sitemap):
    """The main page, the portals and the site pages (about, disclaimer …)."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return (
            ["/"]
            + [p.get_absolute_url() for p in Portal.objects.filter(link="")]
            + [p.get_absolute_url() for p in SitePage.objects.all()]
        )

    def location(self, path):
        return path


SITEMAPS = {"articles": ArticleSitemap, "categories": CategorySitemap, "site": SiteSitemap}


def index(request):
    """Django's sitemap index, less the sections with no URL yet (a new site's categories):
    the protocol wants at least one <url> in each sitemap page it lists."""
    present = {}
    for name, cls in SITEMAPS.items():
        sitemap = cls()
        items = sitemap.items()
        if items.exists() if hasattr(items, "exists") else items:
            present[name] = sitemap
    return sitemap_views.index(request, present, sitemap_url_name="sitemap_section")


@cache_control(public=True, max_age=3600)
def section(request, section: str):
    """One page of one section: <urlset> with loc and lastmod of each URL."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        urls = sitemap.get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in urls:
        lastmod = f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>" if url["lastmod"] else ""
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    latest = getattr(sitemap, "latest_lastmod", None)
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else {}
    return HttpResponse("\n".join(lines), content_type="application/xml", headers=headers)
