"""The public site around the articles: main page, index, random article, site pages."""

import hashlib
import mimetypes
import random

from django.db.models import Max, Min, Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from wiki.excerpts import excerpt
from wiki.keyset import Keyset, keyset_page
from wiki.languages import content_language, language_codes, url_in
from wiki.models import Article, Portal, Revision

from .models import FeaturedArticle, Promotion, SitePage
from .promotions import promotion_click_count, promotion_impression_count

FEATURED_EXCERPT = 400  # characters of the featured article's lead shown without a blurb


def home(request):
    portals = list(Portal.objects.in_language().select_related("category"))
    featured = FeaturedArticle.current()  # of the language being read, or none
    return render(
        request,
        "encyclopedia/home.html",
        {
            "portals": portals,
            "recent": recently_updated(10),
            "featured": featured,
            # Without a blurb of its own: the prose of the article's lead, never its infobox.
            "featured_excerpt": excerpt(featured.article.lead_html, FEATURED_EXCERPT)
            if featured
            else "",
        },
    )


def recently_updated(count: int) -> list[Article]:
    """The articles (no talk pages or redirects) of the newest revisions, newest first: walks
    the revision primary key instead of sorting every article by date."""
    revisions = Revision.objects.filter(language=content_language())
    ids = revisions.order_by("-pk").values_list("article_id", flat=True)[: count * 5]
    ids = list(dict.fromkeys(ids))
    articles = (
        Article.objects.content_pages().filter(pk__in=ids).only("title", "slug", "updated_at")
    )
    return sorted(articles, key=lambda a: ids.index(a.pk))[:count]


def site_page(request, slug):
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "encyclopedia/site_page.html", {"page": page})


INDEX_PAGE_SIZE = 200
BY_TITLE = Keyset(("title",))  # titles are unique: the key needs no id

INDEX_LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + ["0-9", "Other"]


def _index_filter(letter: str) -> Q:
    """Titles under one index letter, as a range of the title index: the database walks it
    from the page's key. (The first character is checked again on the page, `_under`: a
    prefix test in SQL would make PostgreSQL think the range held few titles and sort them
    all instead of walking the index.)"""
    if letter == "0-9":
        return Q(title__gte="0", title__lt="A")
    if letter == "Other":
        return ~Q(title__regex=r"^[0-9A-Za-z]")
    return Q(title__gte=letter, title__lt=chr(ord(letter) + 1))


def _under(letter: str, title: str) -> bool:
    """Whether `title` is listed under `letter`, whatever the database's collation."""
    if letter == "0-9":
        return title[:1].isascii() and title[:1].isdigit()
    if letter == "Other":
        return True
    return title.startswith(letter)


def index(request, letter: str = "A"):
    letter = letter.upper() if len(letter) == 1 else letter.capitalize()
    if letter not in INDEX_LETTERS:
        raise Http404(gettext("The index has pages A–Z, 0-9 and Other."))
    articles = Article.objects.content_pages().filter(_index_filter(letter)).only("title", "slug")
    page = keyset_page(articles, BY_TITLE, request.GET, size=INDEX_PAGE_SIZE)
    page.items = [article for article in page.items if _under(letter, article.title)]
    return render(
        request,
        "encyclopedia/index.html",
        {"letter": letter, "letters": INDEX_LETTERS, "page": page},
    )


def random_article(request):
    """A uniformly drawn id, then the first article (no talk page or redirect) at or after it,
    else the first one: no ORDER BY RANDOM()."""
    bounds = Article.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return redirect("encyclopedia:home")
    pick = random.randint(bounds["low"], bounds["high"])
    articles = Article.objects.content_pages().order_by("id").only("slug")
    article = articles.filter(id__gte=pick).first() or articles.first()
    if article is None:
        return redirect("encyclopedia:home")
    response = redirect(article)
    response["Cache-Control"] = "no-store"
    return response


def robots_txt(request):
    """Crawl the articles, not the tools around them; the sitemap lists every article."""
    sitemaps = [request.build_absolute_uri(url_in(code, "sitemap")) for code in language_codes()]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        # The same tools in the other languages (/es/search, /es/wiki/*/edit).
        *(
            f"Disallow: /{code}{path}"
            for code in language_codes()[1:]
            for path in ROBOTS_DISALLOW
            if not path.startswith(("/admin/", "/accounts/", "/markdownx/"))
        ),
        "",
        *(f"Sitemap: {sitemap}" for sitemap in sitemaps),  # one per language
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_GET
def promotion_click(request, pk: int):
    """A reader clicked a promotion: one more click today, then on to its link. No cookie,
    no address kept, and the advertiser is not told which page the reader came from."""
    promotion = get_object_or_404(Promotion.objects.only("link"), pk=pk)
    promotion_click_count(pk=pk)
    response = HttpResponseRedirect(promotion.link)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def promotion_image(request, pk: int):
    """A promotion's image, from our own storage; each load is one impression. Browsers keep
    it but ask again each time (no-cache, answered 304), so every showing reaches us."""
    promotion = get_object_or_404(Promotion.objects.exclude(image=""), pk=pk)
    promotion_impression_count(pk=pk)
    etag = f'"{hashlib.md5(promotion.image.name.encode()).hexdigest()[:16]}"'
    if request.META.get("HTTP_IF_NONE_MATCH") == etag:
        response = HttpResponseNotModified()
    else:
        kind = mimetypes.guess_type(promotion.image.name)[0] or "application/octet-stream"
        response = FileResponse(promotion.image.open("rb"), content_type=kind)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


# Google and Bing read "*" as any characters and "$" as the end of the URL. Titles may hold
# "/", so a tool URL is matched to its end ("$") or its query ("?": a "?" in a title is
# percent-encoded): /wiki/Drugs/editorial_policy stays crawlable.
WIKI_TOOLS = ["edit", "history", "diff", "links", "info", "cite"]
ROBOTS_DISALLOW = [
    "/admin/",
    "/accounts/",
    "/markdownx/",
    "/search$",
    "/search?",
    "/search/",
    "/random$",
    "/promo/",
    *(f"/wiki/*/{tool}{end}" for tool in WIKI_TOOLS for end in ("$", "?")),
    *(f"/wiki/*/revision/{digit}" for digit in range(10)),
    "/wiki/*?printable=",
]
