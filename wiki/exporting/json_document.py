"""The JSON export: one document, written a piece at a time."""

import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone

from ..models import Article, Category
from .exported import ExportedArticle, ExportReport, Names, iso_time


def json_document(
    articles: Iterable[ExportedArticle],
    *,
    history: bool = True,
    report: ExportReport | None = None,
) -> Iterator[str]:
    """One JSON document, written a piece at a time: the site, the export time and every
    article with its revisions."""
    report = report if report is not None else ExportReport()
    category_names, article_titles = Names(Category, "name"), Names(Article, "title")
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    yield (
        "{"
        f'"site": {dumps({"name": settings.SITE_NAME, "subtitle": settings.SITE_SUBTITLE})}, '
        f'"exported_at": {dumps(iso_time(timezone.now()))}, '
        f'"history": {dumps(history)}, "articles": ['
    )
    for number, article in enumerate(articles):
        head = {
            "id": article.id,
            "title": article.title,
            "categories": article.categories,
            "credits": [
                {"name": c.name, "credentials": c.credentials, "imported": c.imported}
                for c in article.credits
            ],
            "redirect_to": article.redirect_title,
            "source": article.source,
        }
        yield ("," if number else "") + "\n" + dumps(head)[:-1] + ', "revisions": ['
        for index, revision in enumerate(article.revisions(history=history)):
            redirect = article_titles([revision.redirect_to_id]) if revision.redirect_to_id else []
            entry = {
                "id": revision.id,
                "parent": revision.parent_id,
                "timestamp": iso_time(revision.timestamp),
                "author": None if revision.is_ip else revision.author,
                "ip": revision.author if revision.is_ip else None,
                "summary": revision.summary,
                "minor": revision.minor,
                "kind": revision.kind,
                "title": revision.title,
                "categories": category_names(revision.category_ids),
                "redirect_to": redirect[0] if redirect else None,
                "source": revision.source,
                "hidden": list(revision.hidden),
            }
            yield ("," if index else "") + "\n" + dumps(entry)
            report.revisions += 1
        yield "]}"
        report.articles += 1
    yield "\n]}\n"
