"""The article page's <head> metadata from `wiki.seo`."""

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .. import seo
from ..languages import default_language

register = template.Library()


def with_nonce(script: SafeString, request) -> SafeString:
    """The JSON-LD <script> with this response's CSP nonce (django-csp adds it to the header)."""
    nonce = getattr(request, "csp_nonce", None)  # lazy: falsy until read, so test for None
    if nonce is None:
        return script
    return mark_safe(script.replace(">", f' nonce="{escape(str(nonce))}">', 1))


@register.inclusion_tag("wiki/includes/article_meta.html", takes_context=True)
def article_meta(context, article, page):
    """Meta description, OpenGraph, Twitter card and JSON-LD of an article page."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    site_url = request.build_absolute_uri("/")
    description = page.description
    image = request.build_absolute_uri(page.image) if page.image else ""
    data = seo.article_structured_data(
        article=article,
        url=url,
        description=description,
        image=image,
        credits=page.credits,
        categories=page.categories,
        site_name=settings.SITE_NAME,
        site_url=site_url,
        absolute=request.build_absolute_uri,
        review=context.get("shown_review"),  # the review of the text shown, if it had one
        translations=context.get("translations") or (),
    )
    translations = context.get("translations") or []
    alternates = [(t.language, request.build_absolute_uri(t.url)) for t in translations]
    if alternates:
        alternates.append((article.language, url))
        default = [u for code, u in alternates if code == default_language()]
        alternates.sort()
        alternates.append(("x-default", default[0] if default else url))
    return {
        "alternates": alternates,
        "SITE_NAME": settings.SITE_NAME,
        "article": article,
        "url": url,
        "description": description,
        "image": image,
        "json_ld": with_nonce(seo.json_ld_script(data), request),
    }
