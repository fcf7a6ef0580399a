"""/sitemap.xml: an index of sitemap pages listing every article, portal, category and site page.

Each section is split into pages of `limit` URLs (Django's sitemap index lists them as
?p=2, ?p=3 …), so a site of any size stays within the 50,000-URL limit per file.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from wiki.models import Article, Category, Portal

from .models import SitePage


class ArticleSitemap(Sitemap):
    limit = 10_000
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.filter(redirect_to=None).order_by("pk").only("slug", "updated_at")

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        """One aggregate instead of Django's default of loading every article."""
        return Article.objects.filter(redirect_to=None).aggregate(latest=Max("updated_at"))[
            "latest"
        ]


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
