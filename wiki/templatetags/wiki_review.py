"""The review queue's link with its count, and the count of articles overdue for review, in
the header of reviewers' pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..permissions import is_reviewer
from ..review.services import overdue_count, queue_size

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not is_reviewer(user):
        return ""
    link = format_html(
        '<a href="{}" class="review-queue-link">Review queue <span class="count">{}</span>'
        '<span class="visually-hidden"> articles waiting</span></a>',
        reverse("wiki:review_queue"),
        queue_size(),
    )
    if not (overdue := overdue_count()):
        return link
    return link + format_html(
        ' <a href="{}?show=overdue" class="review-overdue-link">{} overdue'
        '<span class="visually-hidden"> for review</span></a>',
        reverse("wiki:review_queue"),
        overdue,
    )
