"""The admin index's backup warning (encyclopedia/health.py)."""

from django import template

from encyclopedia import health

register = template.Library()


@register.simple_tag
def backup_warning() -> str:
    return health.backup_warning()
