"""Template tags that put the site's own metadata (`encyclopedia.seo`) into a page's <head>."""

from django import template
from django.conf import settings

from wiki.seo import json_ld_script
from wiki.templatetags.wiki_seo import with_nonce

from .. import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    request = context["request"]
    script = json_ld_script(
        seo.website_structured_data(
            site_name=settings.SITE_NAME,
            site_url=request.build_absolute_uri("/"),
            search_url=request.build_absolute_uri("/search"),
        )
    )
    return with_nonce(script, request)
