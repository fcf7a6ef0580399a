"""A few KB of hostile Markdown cannot tie up a worker: rendering is bounded, and text that
would still take too long is refused with a clear message, nothing saved, the text kept."""

import signal
import time

import pytest

from tests.helpers import BLOCK_SAMPLES, INLINE_SAMPLES, change_form_data, demo_articles
from wiki import rendering
from wiki.models import Article
from wiki.rendering import RenderTooComplex, render_article, render_markdown
from wiki.sources import split_source

# Seconds of wall-clock time per input, ten times the render budget the test sets: a safety
# net against a renderer that runs on past its budget, not a benchmark (it holds on a loaded
# machine running the suite in parallel).
CEILING = 10.0
MB2 = 2 * 1024 * 1024


def _fill(unit: str, size: int) -> str:
    return unit * (size // len(unit))


# name -> text; sizes up to the 2 MB an article may hold where the construct stays cheap.
PATHOLOGICAL = {
    "bracket runs (the reported 10 KB)": "[" * 5000 + "]" * 5000,
    "bracket runs, 2 MB": "[" * (MB2 // 2) + "]" * (MB2 // 2),
    "open brackets": "[" * MB2,
    "close brackets": "]" * MB2,
    "nested link texts": "[a" * 200_000 + "]" * 200_000,
    "nested image texts": "![" * 200_000 + "]" * 200_000,
    "wiki link openers": "[[" * (MB2 // 2),
    "nested wiki links": "[[a" * 100_000 + "]]" * 100_000,
    "footnote openers": "[^" * (MB2 // 2),
    "links that never close": _fill("[a](", 250_000),
    "empty links that never close": _fill("[](", 250_000),
    "link chain": _fill("[a](b)", 250_000),
    "reference chain": _fill("[a][b]", 250_000),
    "emphasis brackets": "*[" * 100_000 + "]*" * 100_000,
    "code in brackets": _fill("[`", 250_000),
    "star runs": "*" * MB2,
    "underscore runs": "_" * MB2,
    "nested emphasis": _fill("*a **b ", 250_000),
    "mixed delimiters": _fill("*_", 250_000),
    "backtick runs": "`" * MB2,
    "unclosed inline html": _fill("<a ", 48_000),
    "unclosed html blocks": _fill("<div>", 250_000),
    "escapes": "\\" * MB2,
    "flat list markers": _fill("- ", 250_000) + "x",
    "ordered list markers": _fill("1. ", 250_000) + "x",
    "deep list": "".join("  " * i + "- x\n" for i in range(1200)),
    "deep quote": ">" * 250_000 + " x",
    "deep quote lines": "".join(">" * i + " x\n" for i in range(1500)),
    "blank quote lines": _fill("> \n", 250_000),
    "setext headings": _fill("a\n=\n", 64_000),
    "table rows": "a|b\n-|-\n" + _fill("x|y\n", 250_000),
    "abbreviations": "".join(f"*[A{i}]: x\n" for i in range(20_000)) + _fill("A1 ", 50_000),
    "footnote definitions": "".join(f"[^{i}]: x\n" for i in range(10_000))
    + "".join(f"x[^{i}] " for i in range(10_000)),
    "fence openers": _fill("```\n", 250_000),
    "entities": _fill("&amp;", 250_000),
    "autolinks": _fill("<http://a>", 250_000),
}
TIMES: dict[str, float] = {}


class TookTooLong(Exception):
    pass


def _stop(signum, frame):
    raise TookTooLong


@pytest.fixture
def ceiling():
    """Fails the test at CEILING seconds instead of letting it hang for minutes."""
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, CEILING)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_markdown_is_rendered_or_refused_within_the_ceiling(name, ceiling, settings):
    settings.WIKI_RENDER_BUDGET_SECONDS = 1.0
    text = PATHOLOGICAL[name]
    assert len(text.encode()) <= MB2
    started = time.perf_counter()
    try:
        html = render_markdown(text)
    except RenderTooComplex as refused:
        assert "too complex" in str(refused)
    except TookTooLong:
        pytest.fail(f"{name}: still rendering after {CEILING} s")
    else:
        assert html  # rendered: the text shows
    TIMES[name] = time.perf_counter() - started
    assert TIMES[name] < CEILING


def test_bounds_change_nothing_for_ordinary_text():
    bounded, plain = rendering._new_markdown(), rendering._new_markdown(bounded=False)
    texts = INLINE_SAMPLES + BLOCK_SAMPLES + [p.read_text() for p in demo_articles()]
    texts += ["Nested [a [b [c] d] e](/wiki/X) and (a (b (c))) and [x]: y", "- " * 12 + "x"]
    for text in texts:
        assert bounded.convert(text) == plain.convert(text)
        bounded.reset()
        plain.reset()


def test_a_huge_ordinary_article_still_renders():
    """Prose dense with links in one huge paragraph: bounded, not refused."""
    unit = "Sleep helps [[Gout]] and [rest](/wiki/Rest) *a lot*. "
    text = _fill(unit, MB2 // 8)
    lead, sections = split_source(text)
    started = time.perf_counter()
    html = render_article(lead, sections).lead_html
    assert html.count('href="/wiki/Gout"') == html.count("<em>a lot</em>") == len(text) // len(unit)
    TIMES["huge ordinary paragraph (256 KB)"] = time.perf_counter() - started


SLOW = "a\n=\n" * 2000  # setext headings without blank lines: each re-splits the rest


def test_the_preview_refuses_text_past_the_budget_with_a_clear_400(editor_client, settings):
    settings.WIKI_RENDER_BUDGET_SECONDS = 0.05
    response = editor_client.post("/markdownx/markdownify/", {"content": SLOW})
    assert response.status_code == 400
    assert "too complex to render" in response.content.decode()
    settings.WIKI_RENDER_BUDGET_SECONDS = 3
    ok = editor_client.post("/markdownx/markdownify/", {"content": "*fine*"})
    assert ok.status_code == 200 and "<em>fine</em>" in ok.content.decode()


def test_an_edit_past_the_budget_is_refused_keeping_the_text(editor_client, make_article, settings):
    article = make_article(title="Gout", source="Joints ache.\n")
    before = article.latest_revision_id
    settings.WIKI_RENDER_BUDGET_SECONDS = 0.05
    response = editor_client.post(
        "/wiki/Gout/edit",
        {
            "text": SLOW + "MY-TYPED-TEXT",
            "summary": "x",
            "base_revision": article.latest_revision_id,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "too complex to render" in page and "Nothing was saved." in page
    assert "MY-TYPED-TEXT" in page
    article.refresh_from_db()
    assert article.source == "Joints ache.\n" and article.latest_revision_id == before


def test_a_new_article_past_the_budget_is_refused(editor_client, db, settings):
    settings.WIKI_RENDER_BUDGET_SECONDS = 0.05
    response = editor_client.post(
        "/wiki/Hives/edit", {"title": "Hives", "text": SLOW, "summary": ""}
    )
    assert response.status_code == 400
    assert "too complex to render" in response.content.decode()
    assert not Article.objects.filter(title="Hives").exists()


def test_worst_times_are_reported(capsys):
    """Prints the slowest inputs of the corpus run above (with -s)."""
    if TIMES:
        worst = sorted(TIMES.items(), key=lambda item: -item[1])[:5]
        print("\nslowest pathological inputs:", ", ".join(f"{n} {t:.2f}s" for n, t in worst))


def test_an_admin_save_past_the_budget_is_a_clear_400_and_saves_nothing(
    admin_client_, make_article, settings
):

    article = make_article(title="Gout", source="Joints ache.\n")
    data = change_form_data(admin_client_, article)
    settings.WIKI_RENDER_BUDGET_SECONDS = 0.05
    data["lead"] = SLOW
    response = admin_client_.post(f"/admin/wiki/article/{article.pk}/change/", data)
    assert response.status_code == 400
    assert "too complex to render" in response.content.decode()
    article.refresh_from_db()
    assert article.source == "Joints ache.\n" and article.revisions.count() == 1
