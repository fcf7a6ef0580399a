"""The review queue's link with its count, in the header of reviewers' pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..permissions import is_reviewer
from ..review.services import queue_size

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not is_reviewer(user):
        return ""
    count = queue_size()
    return format_html(
        '<a href="{}" class="review-queue-link">Review queue <span class="count">{}</span>'
        '<span class="visually-hidden"> articles waiting</span></a>',
        reverse("wiki:review_queue"),
        count,
    )
