"""The template panel of a template's page: its users and the re-rendering under way."""

from django import template

from ..titles import is_template_title
from ..transclusion.services import latest_rerender

register = template.Library()


@register.inclusion_tag("wiki/includes/template_panel.html", takes_context=True)
def template_panel(context, article):
    """On a template's page: the link to its users and, to signed-in readers (its editors;
    the page anonymous readers get is cached), how the re-rendering of its users goes."""
    if article is None or not is_template_title(article.title):
        return {"shown": False}
    request = context.get("request")
    signed_in = request is not None and request.user.is_authenticated
    return {
        "shown": True,
        "article": article,
        "rerender": latest_rerender(article.slug) if signed_in else None,
    }
