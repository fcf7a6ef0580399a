"""Every feed the site offers reads cleanly in a real feed reader's parser (feedparser): well
formed (not "bozo"), with its entries, whichever filters the reader chose."""

import feedparser
import pytest

from .conftest import save

FEEDS = {
    "all changes": ("/recent-changes/feed", {"Swelling & <narrowing>", "New asthma article"}),
    "no minor edits": ("/recent-changes/feed?hideminor=1", {"New eczema article"}),
    "one category": ("/recent-changes/feed?category=Lungs", {"New asthma article"}),
    "one contributor": ("/recent-changes/feed?contributor=Edna_Marsh", {"New asthma article"}),
    "filters together": (
        "/recent-changes/feed?hideminor=1&category=Lungs&contributor=Edna_Marsh",
        {"New asthma article"},
    ),
    "an unknown filter": ("/recent-changes/feed?category=Nowhere", {"New eczema article"}),
}


@pytest.fixture
def site(make_article, editor, other_editor):
    asthma = make_article(
        title="Asthma",
        source="Airways narrow.\n",
        user=editor,
        categories=["Lungs"],
        summary="New asthma article",
    )
    make_article(
        title="Eczema — “atopic”",
        source="Skin itches.\n",
        user=other_editor,
        categories=["Skin"],
        summary="New eczema article",
    )
    save(asthma, other_editor, "Airways narrow and swell.\n", summary="Swelling & <narrowing>")
    save(asthma, other_editor, "Airways narrow and swell!\n", summary="Typo", minor=True)


def test_every_feed_is_well_formed_and_has_its_entries(client, site):
    for name, (path, summaries) in FEEDS.items():
        response = client.get(path)
        assert response.status_code == 200, name
        feed = feedparser.parse(
            response.content, response_headers={"content-type": response["Content-Type"]}
        )
        assert not feed.bozo, f"{name} ({path}): {feed.get('bozo_exception')}"
        assert feed.version == "atom10", name
        assert feed.feed.title == "Recent changes"
        assert feed.entries, f"{name} ({path}) has no entries"
        titles = [entry.title for entry in feed.entries]
        for summary in summaries:
            assert any(title.endswith(summary) for title in titles), (name, summary, titles)
        for entry in feed.entries:
            assert entry.link.startswith("http://testserver/wiki/"), (name, entry.link)
            assert entry.author and entry.updated_parsed, name
