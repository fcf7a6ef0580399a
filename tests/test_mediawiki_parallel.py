"""An import spread over worker processes stores exactly what one process stores.

Two real exports of ../shared/mediawiki-samples (current articles with infoboxes, tables and
references; a page's 80-revision history), imported by one process, then again into the
emptied database by two workers with small windows (many of them in flight while the parent
writes): every article's stored form and every revision's text, time, author and origin match.
Optional like tests/test_mediawiki_samples.py (skipped without the samples, unless CI).
"""

import io
import re

import pytest
from django.core.management import call_command

from wiki import search
from wiki.models import Article, Revision
from wiki.snapshots import load_snapshots

from .helpers import SAMPLES, sample_exports

NAMES = ("enwiki-27pages-2019_dbpedia.xml", "dewiktionary-familia-history-80revs.xml")
FILES = [path for path in sample_exports() if path.name in NAMES]
pytestmark = pytest.mark.skipif(len(FILES) != len(NAMES), reason=f"no samples at {SAMPLES}")


def stored() -> dict:
    """Everything the import wrote that a reader or the history shows, by title."""
    pages = {}
    for article in Article.objects.order_by("title").prefetch_related("sections"):
        revisions = list(
            Revision.objects.filter(article=article)
            .order_by("created_at", "revision_id")
            .values_list("revision_id", "origin", "created_at", "contributor__name", "summary")
        )
        texts = load_snapshots([r[0] for r in revisions])
        pages[article.title] = {
            "article": (article.lead, article.lead_html, article.notes_html, article.infobox),
            "redirect": article.redirect_to.title if article.redirect_to_id else None,
            "sections": [
                (s.position, s.heading, s.body, s.heading_html, s.html)
                for s in sorted(article.sections.all(), key=lambda s: s.position)
            ],
            "links": sorted(article.outgoing_links.values_list("target_slug", flat=True)),
            "revisions": [(*r[1:], *_text(texts[r[0]])) for r in revisions],
        }
    return pages


def _text(snapshot) -> tuple:
    return snapshot.source, snapshot.lead_html, [s.html for s in snapshot.sections]


def imported(*args: str) -> tuple[dict, str]:
    out = io.StringIO()
    call_command("import_mediawiki", *map(str, FILES), *args, "-v0", stdout=out, stderr=out)
    try:
        return stored(), re.sub(r" in [\d.]+ s \(\d+ revisions/s\)", "", out.getvalue())
    finally:
        search.engine().clear()
        call_command("flush", interactive=False, verbosity=0)


def test_an_import_on_two_workers_stores_what_one_process_stores(transactional_db):
    alone, said_alone = imported("--jobs", "0")
    shared, said_shared = imported("--jobs", "2", "--batch-size", "8")
    assert len(alone) >= 27 and sum(len(p["revisions"]) for p in alone.values()) > 100
    assert shared.keys() == alone.keys()
    for title, page in alone.items():
        for key, value in page.items():
            if key == "revisions":
                for n, revision in enumerate(value):
                    assert shared[title][key][n] == revision, (title, n)
            assert shared[title][key] == value, (title, key)
    assert said_shared == said_alone  # the same report, less its timings
    assert "Imported 10" in said_alone
