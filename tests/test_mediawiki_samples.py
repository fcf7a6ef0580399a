"""The real MediaWiki exports of ../shared/mediawiki-samples move in whole.

Optional: skipped where that folder is absent (it is not part of the project), unless
ENCYCLOPEDIA_REQUIRE_SAMPLES=1 (CI) makes that a failure. Counts come
from the dumps themselves, read here with ElementTree, not from the importer.
"""

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command

from wiki import search
from wiki.models import Article, Revision
from wiki.titles import normalize_title, title_to_slug

from .helpers import SAMPLES, sample_exports

FILES = sample_exports()
pytestmark = pytest.mark.skipif(not FILES, reason=f"no MediaWiki samples at {SAMPLES}")
LEFTOVER = re.compile(r"\{\{|<ref\b|&lt;ref\b|\[\[File:", re.IGNORECASE)
CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)
REDIRECT = re.compile(r"\s*#\s*(?:redirect|weiterleitung)\s*:?\s*\[\[([^\]|#]+)", re.IGNORECASE)


def article_pages() -> dict[str, tuple[int, str]]:
    """Title -> (revisions, newest text) of every article-namespace page of the samples (two
    samples hold different revisions of one page: both count)."""
    ids: dict[str, set] = {}
    newest: dict[str, tuple[str, str]] = {}
    for path in FILES:
        namespaces = {}
        for _, el in ET.iterparse(path):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "namespace" and el.text:
                namespaces[el.text] = int(el.get("key"))
            if tag != "page":
                continue
            title = el.findtext("{*}title")
            ns = el.findtext("{*}ns")
            prefix = title.split(":", 1)[0] if ":" in title else ""
            if (int(ns) if ns is not None else namespaces.get(prefix, 0)) == 0:
                # Our titles' first letter has one case (Wiktionary's may have two).
                title = normalize_title(title)
                for revision in el.findall("{*}revision"):
                    ids.setdefault(title, set()).add(revision.findtext("{*}id"))
                    when = revision.findtext("{*}timestamp")
                    if when >= newest.get(title, ("", ""))[0]:
                        newest[title] = (when, revision.findtext("{*}text") or "")
            el.clear()
    return {title: (len(ids[title]), newest[title][1]) for title in ids}


def oldest_first(path: Path) -> str:
    """Dumps are imported oldest first, as docs/operators.md asks (a dump older than the current
    revision of a page is refused): by the earliest revision timestamp they hold."""
    return min(re.findall(r"<timestamp>([^<]+)</timestamp>", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """The samples imported once for the module, committed; the database is emptied after
    (flush, and the search tables, which are not Django models)."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        files = sorted(FILES, key=oldest_first)
        call_command("import_mediawiki", *map(str, files), "--report", stdout=out, stderr=out)
        yield out.getvalue()
        search.engine().clear()
        call_command("flush", interactive=False, verbosity=0)


def test_every_page_and_revision_of_the_samples_is_imported(imported, db):
    pages = article_pages()
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == set(pages)
    for article in Article.objects.all():
        assert article.revisions.count() == pages[article.title][0], article.title
    assert Revision.objects.count() == sum(n for n, _ in pages.values())
    assert "Problems: 0." in imported


def test_every_redirect_of_the_samples_leads_on(imported, db, client):
    """To its target where the dumps hold it; otherwise the page says where it redirects,
    with a link to create the target, as MediaWiki shows a redirect to a missing page."""
    pages = article_pages()
    redirects = {
        t: m.group(1).strip() for t, (_, text) in pages.items() if (m := REDIRECT.match(text))
    }
    assert len(redirects) >= 100
    slugs = {title_to_slug(t) for t in pages}
    for title, target in redirects.items():
        article = Article.objects.get(title=title)
        response = client.get(article.get_absolute_url())
        if title_to_slug(target) in slugs:
            assert response.status_code == 301, title  # a permanent redirect
            assert client.get(response["Location"]).status_code == 200
        else:
            assert response.status_code == 200, title
            assert "Redirect to" in response.content.decode()


def test_no_page_shows_wikitext_that_was_not_converted(imported, db, client):
    dirty = []
    for article in Article.objects.filter(redirect_to=None):
        html = CODE.sub("", client.get(article.get_absolute_url()).content.decode())
        if found := LEFTOVER.search(html):
            dirty.append((article.title, html[found.start() - 60 : found.end() + 60]))
    assert dirty == []


def test_the_autism_article_keeps_its_infobox_references_and_sections(imported, db, client):
    article = Article.objects.get(title="Autism")
    html = client.get("/wiki/Autism").content.decode()
    assert "infobox" in html
    assert html.count('class="footnote-backref"') >= 200
    assert len(article.ordered_sections) >= 10
    assert article.categories.exists()
