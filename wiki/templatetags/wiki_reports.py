"""The reader reports' link with the count of open reports, in the header of editors' pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

from ..permissions import is_editor
from ..reports.services import open_count

register = template.Library()


@register.simple_tag(takes_context=True)
def reports_link(context):
    request = context.get("request")
    if not is_editor(getattr(request, "user", None)):
        return ""
    return format_html(
        '<a href="{}" class="reports-link">{} <span class="count">{}</span>'
        '<span class="visually-hidden"> {}</span></a>',
        reverse("wiki:reports"),
        pgettext("reader reports, in the header", "Reports"),
        open_count(),
        gettext("open reader reports"),
    )
