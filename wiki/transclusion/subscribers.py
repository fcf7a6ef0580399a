"""What a save means for templates: the page's template rows, and when the page is a
template, the re-rendering of its users (`signals.article_saved`)."""

from ..titles import is_template_title
from .services import record_uses, start_rerender


def template_saved(sender, *, article, revision, edit=None, **kwargs):
    record_uses(article)
    if (
        is_template_title(article.title)
        and revision is not None
        and revision.kind not in ("move", "protect")
    ):
        start_rerender(article.slug)
