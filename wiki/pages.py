"""The page tools around one article: what links here, page information, cite this page,
download the source, export as MediaWiki XML."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from .article_urls import article_from_url
from .editorial.revision_hiding import shown_credits, shown_to
from .exporting import exported_article, file_base, markdown_file
from .keyset import Keyset, keyset_page
from .languages import content_language, language_choices, language_codes, language_name
from .mediawiki.dump_export import mediawiki_document
from .models import Article, Link, Revision
from .permissions import can_edit
from .review.disclosures import reviewers_of
from .titles import InvalidTitle, validate_title
from .translations import (
    TranslationRefused,
    translation_link,
    translation_unlink,
    translations_of,
)

LINKS_PAGE_SIZE = 100
# Linking articles oldest first, as MediaWiki lists them: the order of the link index
# (target, source), so a page of the most linked title reads one page of links.
BY_LINKING_ARTICLE = Keyset(("source_id",))


@article_from_url(missing_ok=True)
def what_links_here(request, article: Article | None, slug: str):
    """Articles whose text links to this title, and redirects to it; works for missing titles
    too, so a red link's target shows who is waiting for it."""
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404(gettext("No article has this title.")) from None
    links = (
        Link.objects.filter(target_slug=slug, source__language=content_language())
        .select_related("source")
        .only("source__title", "source__slug", "source__redirect_to")
    )
    page = keyset_page(links, BY_LINKING_ARTICLE, request.GET, size=LINKS_PAGE_SIZE)
    page.items = [link.source for link in page.items]
    redirects = article.redirects.only("title", "slug").order_by("title") if article else []
    return render(
        request,
        "wiki/links.html",
        {
            "article": article,
            "title": title,
            "slug": slug,
            "page": page,
            "redirects": redirects,
        },
    )


@dataclass
class PageInformation:
    created: Revision | None
    latest: Revision | None
    edits: int
    editors: int
    credited: int
    links_in: int
    links_out: list[tuple[str, str, bool]]  # (slug, title, exists)
    redirects: int


def page_information(article: Article) -> PageInformation:
    """The facts MediaWiki's "Page information" shows, counted from our tables."""
    revisions = Revision.objects.filter(article=article)
    counts = revisions.aggregate(edits=Count("pk"), editors=Count("contributor", distinct=True))
    targets = sorted(article.outgoing_links.values_list("target_slug", flat=True))
    existing = set(Article.objects.by_slugs(targets).values_list("slug", flat=True))
    return PageInformation(
        created=revisions.order_by("pk").select_related("contributor").first(),
        latest=revisions.order_by("-pk").select_related("contributor").first(),
        edits=counts["edits"],
        editors=counts["editors"],
        credited=shown_credits(article.pk).count(),
        links_in=Link.objects.filter(
            target_slug=article.slug, source__language=article.language
        ).count(),
        links_out=[(t, t.replace("_", " "), t in existing) for t in targets],
        redirects=article.redirects.count(),
    )


@article_from_url()
def page_info(request, article: Article):
    info = page_information(article)
    shown_to(request.user, [rev for rev in (info.created, info.latest) if rev is not None])
    return render(
        request,
        "wiki/info.html",
        {
            "article": article,
            "info": info,
            "categories": article.categories.all(),
            "language_name": language_name(article.language),
            "translations": translations_of(article),
            "may_link": can_edit(request.user, article),
            "other_languages": [c for c in language_choices() if c[0] != article.language],
        },
    )


@require_POST
@article_from_url(
    sign_in="wiki:info", may=can_edit, refusal=gettext_lazy("You may not edit this article.")
)
def translations(request, article: Article):
    """Link the article to another language's article (its group joins theirs), or unlink it
    (`wiki.translations`); back to the information page with what happened."""
    if request.POST.get("action") == "unlink":
        translation_unlink(article, user=request.user)
        messages.success(request, gettext("The article is no longer linked to its translations."))
        return redirect(reverse("wiki:info", args=[article.slug]) + "#translations")
    language = request.POST.get("language", "")
    title = request.POST.get("title", "").strip()
    other = None
    if language in language_codes() and title:
        try:
            other = Article.objects.by_title(validate_title(title), language).first()
        except InvalidTitle:
            other = None
    if other is None:
        messages.error(
            request, gettext("There is no article “%(title)s” in that language.") % {"title": title}
        )
    else:
        try:
            translation_link(article, other, user=request.user)
            messages.success(
                request,
                gettext("Linked to “%(title)s” (%(language)s).")
                % {"title": other.title, "language": language_name(language)},
            )
        except TranslationRefused as refused:
            messages.error(request, str(refused))
    return redirect(reverse("wiki:info", args=[article.slug]) + "#translations")


CREDITS_PAGE_SIZE = 100
FIRST_CREDITED = Keyset(("since", "pk"))  # the credits line's order


@article_from_url()
def credits_page(request, article: Article):
    """Where each name of the article's credits line comes from: the editor's first edit, or
    the import that credited it (its revision in the history), or a hand-made credit; and
    who medically reviewed it, each with their disclosure."""
    credits = shown_credits(article.pk).select_related("contributor", "revision__contributor")
    page = keyset_page(credits, FIRST_CREDITED, request.GET, size=CREDITS_PAGE_SIZE)
    shown_to(request.user, [c.revision for c in page.items if c.revision is not None])
    return render(
        request,
        "wiki/credits.html",
        {"article": article, "page": page, "reviews": reviewers_of(article)},
    )


@dataclass
class Citation:
    style: str
    text: str


def citations(*, title: str, site_name: str, url: str, edited, accessed) -> list[Citation]:
    """AMA (11th ed.) and APA (7th ed.) references to one revision of a wiki page."""
    ama_date = "{:%B} {}, {}"
    edited_ama = ama_date.format(edited, edited.day, edited.year)
    accessed_ama = ama_date.format(accessed, accessed.day, accessed.year)
    return [
        Citation(
            "AMA", f"{title}. {site_name}. Updated {edited_ama}. Accessed {accessed_ama}. {url}"
        ),
        Citation(
            "APA",
            f"{title}. ({edited.year}, {edited:%B} {edited.day}). In {site_name}. "
            f"Retrieved {accessed:%B} {accessed.day}, {accessed.year}, from {url}",
        ),
    ]


@article_from_url()
def cite(request, article: Article):
    revision = article.latest_revision
    if revision is None:
        raise Http404(gettext("This article has no revision to cite yet."))
    permanent_link = request.build_absolute_uri(
        reverse("wiki:revision", args=[article.slug, revision.pk])
    )
    edited = timezone.localtime(revision.created_at)
    return render(
        request,
        "wiki/cite.html",
        {
            "article": article,
            "revision": revision,
            "permanent_link": permanent_link,
            "edited": edited,
            "accessed": timezone.localdate(),
            "citations": citations(
                title=article.title,
                site_name=settings.SITE_NAME,
                url=permanent_link,
                edited=edited,
                accessed=timezone.localdate(),
            ),
        },
    )


@article_from_url()
def download_source(request, article: Article):
    """The current Markdown with its front matter (title, categories, contributors): the file
    the Markdown export writes, which `import_markdown` reads back."""
    response = HttpResponse(
        markdown_file(exported_article(article)), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{file_base(article.title)}.md"
    )
    return response


@article_from_url()
def special_export(request, article: Article):
    """/wiki/Special:Export/<Title>: MediaWiki's XML of the current revision, or of every
    revision with ?history=1, as MediaWiki's Special:Export answers."""
    history = request.GET.get("history", "") not in {"", "0", "false", "no"}
    pieces = mediawiki_document(
        [exported_article(article)],
        history=history,
        base_url=request.build_absolute_uri("/"),
        language=article.language,
    )
    return StreamingHttpResponse(pieces, content_type="application/xml; charset=utf-8")
