"""What a save means for templates: the page's template rows, and when the page is a
template, the re-rendering of its users (`signals.article_saved`)."""

from ..titles import is_template_title
from .models import TemplateUse
from .services import record_uses, start_rerender

NO_TEXT_CHANGE = ("move", "protect")


def template_saved(sender, *, article, revision, edit=None, **kwargs):
    """Record the page's template calls; a template's new text re-renders its users (if any:
    a new template's page says nothing of re-rendering)."""
    record_uses(article)
    if not is_template_title(article.title) or revision is None:
        return
    if revision.kind not in NO_TEXT_CHANGE and (
        TemplateUse.objects.filter(template_slug=article.slug).exists()
    ):
        start_rerender(article.slug)
