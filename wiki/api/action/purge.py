"""action=purge: the pages' cached renderings are dropped, so the next reader gets them
rendered again, as MediaWiki's purge does; answers each page as purged (or missing)."""

from ...caching import invalidate_article
from .page_sets import page_set
from .params import Params


def action_purge(request, p: Params) -> dict:
    pages, _ = page_set(p)
    answers = []
    for entry in pages.missing:
        if "invalid" not in entry:
            p.set_flag(entry, "missing", True)
        answers.append(entry)
    for article in pages.articles:
        invalidate_article(article)
        entry = {"ns": 0, "title": article.title}
        p.set_flag(entry, "purged", True)
        answers.append(entry)
    return {"batchcomplete": True if p.v2 else "", "purge": answers}
