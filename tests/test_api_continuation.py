"""Continuation of the Action API's long lists, walked with mwclient against a live server at
a limit of one or two items an answer: the prop= modules (categories, images, extlinks,
contributors, links) for one page and for several at once, and the list= modules, each
giving every item exactly once, with MediaWiki 1.39's `xxcontinue` keys."""

from urllib.parse import urlsplit

import mwclient
import pytest
from mwclient.listing import PageProperty

from tests.conftest import make_media, save
from wiki.models import Article

live = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    return mwclient.Site(urlsplit(live_server.url).netloc, path="/", scheme="http", max_retries=0)


@pytest.fixture
def busy_pages(two_linked_articles, editor, other_editor, administrator):
    """Sample condition and Other condition, each showing three files, linking three
    addresses, in three categories, edited by several accounts."""
    names = [make_media(editor, f"Scan {n}.png", (90 + i, 60)).name for i, n in enumerate("ABC")]
    files = "\n\n".join(f"[[File:{name}]]" for name in names)
    for title in ("Sample condition", "Other condition"):
        article = Article.objects.get(title=title)
        links = " ".join(f"https://example.org/{title[0]}{n}" for n in range(3))
        save(article, other_editor, f"{article.source}\n\n{links}\n\n{files}\n", summary="More")
        save(article, administrator, Article.objects.get(pk=article.pk).source + "\nEnd.\n")
        article.categories.add(*[_category(n) for n in ("Skin", "Lungs")])
    return names


def _category(name):
    from wiki.models import Category

    return Category.objects.get_or_create(name=name)[0]


def walk(site, **params) -> tuple[dict[str, list], list[dict]]:
    """Every answer of a query followed through `continue` as clients do: each page's items
    under each prop, gathered over the answers, and the `continue` objects seen."""
    gathered: dict[str, list] = {}
    seen, cont = [], {}
    for _ in range(50):  # a safety net far above the dozen answers expected
        answer = site.get("query", **params, **cont)
        for page in answer["query"]["pages"].values():
            for key, value in page.items():
                if isinstance(value, list):
                    gathered.setdefault(f"{page['title']}/{key}", []).extend(value)
        if "continue" not in answer:
            return gathered, seen
        cont = answer["continue"]
        seen.append(cont)
    raise AssertionError("the continuation never ended")


@live
def test_one_pages_props_are_walked_one_item_an_answer(site, busy_pages):
    page = site.pages["Sample condition"]
    extlinks = PageProperty(page, "extlinks", "el", return_values="*", api_chunk_size=1)
    assert list(extlinks) == [f"https://example.org/S{n}" for n in range(3)]
    images = PageProperty(page, "images", "im", return_values="title", api_chunk_size=1)
    assert list(images) == [f"File:{name}" for name in busy_pages]
    categories = PageProperty(page, "categories", "cl", return_values="title", api_chunk_size=1)
    assert list(categories) == ["Category:Lungs", "Category:Rare diseases", "Category:Skin"]
    contributors = PageProperty(page, "contributors", "pc", api_chunk_size=1)
    assert sorted(c["name"] for c in contributors) == ["Ada", "Edna", "Otto"]
    links = PageProperty(page, "links", "pl", return_values="title", api_chunk_size=1)
    assert list(links) == ["Other condition"]


@live
def test_several_pages_props_continue_with_mediawikis_keys(site, busy_pages):
    titles = "Sample condition|Other condition"
    gathered, seen = walk(
        site,
        titles=titles,
        prop="extlinks|images|categories|contributors",
        ellimit=2,
        imlimit=2,
        cllimit=2,
        pclimit=2,
    )
    for title in ("Sample condition", "Other condition"):
        assert [e["*"] for e in gathered[f"{title}/extlinks"]] == [
            f"https://example.org/{title[0]}{n}" for n in range(3)
        ]
        assert [i["title"] for i in gathered[f"{title}/images"]] == [
            f"File:{name}" for name in busy_pages
        ]
        assert len(gathered[f"{title}/categories"]) == 3
        assert len({c["name"] for c in gathered[f"{title}/contributors"]}) == len(
            gathered[f"{title}/contributors"]
        )
    keys = {key for cont in seen for key in cont}
    assert keys == {"elcontinue", "imcontinue", "clcontinue", "pccontinue", "continue"}
    first = seen[0]
    assert first["imcontinue"].split("|")[1] == busy_pages[2].replace(" ", "_")


@live
def test_a_generator_waits_until_its_pages_props_are_complete(site, busy_pages):
    gathered, seen = walk(site, generator="allpages", gaplimit=1, prop="extlinks", ellimit=2)
    assert sorted(gathered) == ["Other condition/extlinks", "Sample condition/extlinks"]
    assert all(len(links) == 3 for links in gathered.values())
    assert any("gapcontinue" in cont and "elcontinue" in cont for cont in seen)


@live
def test_every_list_walked_one_item_an_answer_gives_each_item_once(site, busy_pages):
    def walked(name, prefix, key, **params):
        items = list(mwclient.listing.List(site, name, prefix, api_chunk_size=1, **params))
        answer = site.get("query", list=name, **{f"{prefix}limit": 1}, **params)
        assert key in answer.get("continue", {}), (name, answer)
        return items

    assert [p["title"] for p in walked("allpages", "ap", "apcontinue")] == [
        "Other condition",
        "Sample condition",
    ]
    assert len(walked("allimages", "ai", "aicontinue")) == 3
    assert len(walked("allcategories", "ac", "accontinue")) == 3
    assert [u["name"] for u in walked("allusers", "au", "aufrom")] == ["Ada", "Edna", "Otto"]
    members = walked("categorymembers", "cm", "cmcontinue", cmtitle="Category:Skin")
    assert len(members) == 2
    changes = walked("recentchanges", "rc", "rccontinue")
    assert len({c["revid"] for c in changes}) == len(changes) == 7
    contributions = walked("usercontribs", "uc", "uccontinue", ucuser="Otto")
    assert len({c["revid"] for c in contributions}) == len(contributions) == 3
    uses = walked("exturlusage", "eu", "eucontinue", euquery="example.org", euprotocol="https")
    assert len(uses) == 6
    hits = walked("search", "sr", "sroffset", srsearch="condition", srwhat="title")
    assert len(hits) == 2
